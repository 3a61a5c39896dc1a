using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OneStandingSharePerPlan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ShareGrants_OwnerOrganizationId_GranteeOrganizationId_Kind",
                table: "ShareGrants");

            migrationBuilder.CreateIndex(
                name: "IX_ShareGrants_OwnerOrganizationId_GranteeOrganizationId_Kind",
                table: "ShareGrants",
                columns: new[] { "OwnerOrganizationId", "GranteeOrganizationId", "Kind" },
                unique: true,
                filter: "[RevokedAt] IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ShareGrants_OwnerOrganizationId_GranteeOrganizationId_Kind",
                table: "ShareGrants");

            migrationBuilder.CreateIndex(
                name: "IX_ShareGrants_OwnerOrganizationId_GranteeOrganizationId_Kind",
                table: "ShareGrants",
                columns: new[] { "OwnerOrganizationId", "GranteeOrganizationId", "Kind" });
        }
    }
}
