using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.SqlServer.Migrations
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
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Summary = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    ElementCodes = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    FileKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    FileType = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ContentType = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    UploadedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UploadedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Contribution = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ContributionChangedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ContributionDecidedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    DeclineReason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
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
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DocumentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OwnerOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    GranteeOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SharedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    SharedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
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
