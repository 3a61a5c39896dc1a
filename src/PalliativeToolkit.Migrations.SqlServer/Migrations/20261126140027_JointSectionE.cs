using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class JointSectionE : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "JointAssessments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PartnershipId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    FrameworkVersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Cycle = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    PlanReadyAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    PlanReadyBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    ProviderReadyAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ProviderReadyBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    SubmittedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    SubmittedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JointAssessments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JointAssessments_FrameworkVersions_FrameworkVersionId",
                        column: x => x.FrameworkVersionId,
                        principalTable: "FrameworkVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_JointAssessments_Partnerships_PartnershipId",
                        column: x => x.PartnershipId,
                        principalTable: "Partnerships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "JointAnswers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    JointAssessmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ElementId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CriterionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Side = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Answer = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ChangedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JointAnswers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JointAnswers_Criteria_CriterionId",
                        column: x => x.CriterionId,
                        principalTable: "Criteria",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_JointAnswers_JointAssessments_JointAssessmentId",
                        column: x => x.JointAssessmentId,
                        principalTable: "JointAssessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "JointChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    JointAssessmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Side = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ElementId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false),
                    By = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    What = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JointChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JointChanges_JointAssessments_JointAssessmentId",
                        column: x => x.JointAssessmentId,
                        principalTable: "JointAssessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "JointNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    JointAssessmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ElementId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Side = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ChangedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JointNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JointNotes_JointAssessments_JointAssessmentId",
                        column: x => x.JointAssessmentId,
                        principalTable: "JointAssessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_JointAnswers_CriterionId",
                table: "JointAnswers",
                column: "CriterionId");

            migrationBuilder.CreateIndex(
                name: "IX_JointAnswers_JointAssessmentId_CriterionId_Side",
                table: "JointAnswers",
                columns: new[] { "JointAssessmentId", "CriterionId", "Side" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_JointAssessments_FrameworkVersionId",
                table: "JointAssessments",
                column: "FrameworkVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_JointAssessments_PartnershipId_Cycle",
                table: "JointAssessments",
                columns: new[] { "PartnershipId", "Cycle" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_JointAssessments_PlanOrganizationId",
                table: "JointAssessments",
                column: "PlanOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_JointAssessments_ProviderOrganizationId",
                table: "JointAssessments",
                column: "ProviderOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_JointChanges_JointAssessmentId",
                table: "JointChanges",
                column: "JointAssessmentId");

            migrationBuilder.CreateIndex(
                name: "IX_JointNotes_JointAssessmentId_ElementId_Side",
                table: "JointNotes",
                columns: new[] { "JointAssessmentId", "ElementId", "Side" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JointAnswers");

            migrationBuilder.DropTable(
                name: "JointChanges");

            migrationBuilder.DropTable(
                name: "JointNotes");

            migrationBuilder.DropTable(
                name: "JointAssessments");
        }
    }
}
