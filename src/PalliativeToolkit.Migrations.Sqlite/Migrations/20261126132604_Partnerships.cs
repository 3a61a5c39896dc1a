using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Partnerships : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Partnerships",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StatusSince = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CountyFips = table.Column<string>(type: "TEXT", nullable: false),
                    Services = table.Column<string>(type: "TEXT", nullable: false),
                    ContractStart = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ContractEnd = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MonthlyReferralCapacity = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Partnerships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Partnerships_Organizations_PlanOrganizationId",
                        column: x => x.PlanOrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Partnerships_Organizations_ProviderOrganizationId",
                        column: x => x.ProviderOrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PartnershipContacts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnershipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Side = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnershipContacts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PartnershipContacts_Partnerships_PartnershipId",
                        column: x => x.PartnershipId,
                        principalTable: "Partnerships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PartnershipStatusChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnershipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    EffectiveOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnershipStatusChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PartnershipStatusChanges_Partnerships_PartnershipId",
                        column: x => x.PartnershipId,
                        principalTable: "Partnerships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PartnershipContacts_PartnershipId",
                table: "PartnershipContacts",
                column: "PartnershipId");

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_PlanOrganizationId_ProviderOrganizationId",
                table: "Partnerships",
                columns: new[] { "PlanOrganizationId", "ProviderOrganizationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_ProviderOrganizationId",
                table: "Partnerships",
                column: "ProviderOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_PartnershipStatusChanges_PartnershipId",
                table: "PartnershipStatusChanges",
                column: "PartnershipId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PartnershipContacts");

            migrationBuilder.DropTable(
                name: "PartnershipStatusChanges");

            migrationBuilder.DropTable(
                name: "Partnerships");
        }
    }
}
