using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OrganizationDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OrganizationDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ElementCodes = table.Column<string>(type: "TEXT", nullable: false),
                    FileKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FileType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UploadedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Contribution = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ContributionChangedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ContributionDecidedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DeclineReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrganizationDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrganizationDocuments_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DocumentShares",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GranteeOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SharedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SharedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DocumentShares", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DocumentShares_OrganizationDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "OrganizationDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentShares_DocumentId_GranteeOrganizationId",
                table: "DocumentShares",
                columns: new[] { "DocumentId", "GranteeOrganizationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DocumentShares_GranteeOrganizationId",
                table: "DocumentShares",
                column: "GranteeOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationDocuments_Contribution",
                table: "OrganizationDocuments",
                column: "Contribution");

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationDocuments_FileKey",
                table: "OrganizationDocuments",
                column: "FileKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationDocuments_OrganizationId",
                table: "OrganizationDocuments",
                column: "OrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DocumentShares");

            migrationBuilder.DropTable(
                name: "OrganizationDocuments");
        }
    }
}
