using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SubmissionRoundsAndAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "AssessmentId",
                table: "Feedback",
                newName: "SubmissionId");

            migrationBuilder.RenameIndex(
                name: "IX_Feedback_AssessmentId",
                table: "Feedback",
                newName: "IX_Feedback_SubmissionId");

            migrationBuilder.AddColumn<Guid>(
                name: "OrganizationId",
                table: "Feedback",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "OrganizationId",
                table: "ElementResponses",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "OrganizationId",
                table: "CriterionResponses",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<int>(
                name: "Round",
                table: "Assessments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "ShareGrants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GranteeOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    GrantedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    GrantedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RevokedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ShareGrants_Organizations_GranteeOrganizationId",
                        column: x => x.GranteeOrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ShareGrants_Organizations_OwnerOrganizationId",
                        column: x => x.OwnerOrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Submissions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Round = table.Column<int>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SubmittedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Submissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Submissions_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SubmittedElements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubmissionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ElementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EvidenceNotes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    EvidenceLinks = table.Column<string>(type: "TEXT", nullable: false),
                    Priority = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubmittedElements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SubmittedElements_Elements_ElementId",
                        column: x => x.ElementId,
                        principalTable: "Elements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SubmittedElements_Submissions_SubmissionId",
                        column: x => x.SubmissionId,
                        principalTable: "Submissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SubmittedAnswers",
                columns: table => new
                {
                    SubmittedElementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CriterionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubmittedAnswers", x => new { x.SubmittedElementId, x.CriterionId });
                    table.ForeignKey(
                        name: "FK_SubmittedAnswers_Criteria_CriterionId",
                        column: x => x.CriterionId,
                        principalTable: "Criteria",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SubmittedAnswers_SubmittedElements_SubmittedElementId",
                        column: x => x.SubmittedElementId,
                        principalTable: "SubmittedElements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_OrganizationId",
                table: "Feedback",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_ElementResponses_OrganizationId",
                table: "ElementResponses",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_CriterionResponses_OrganizationId",
                table: "CriterionResponses",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_ShareGrants_GranteeOrganizationId_Kind",
                table: "ShareGrants",
                columns: new[] { "GranteeOrganizationId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_ShareGrants_OwnerOrganizationId_GranteeOrganizationId_Kind",
                table: "ShareGrants",
                columns: new[] { "OwnerOrganizationId", "GranteeOrganizationId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_AssessmentId_Round",
                table: "Submissions",
                columns: new[] { "AssessmentId", "Round" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_OrganizationId_SubmittedAt",
                table: "Submissions",
                columns: new[] { "OrganizationId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedAnswers_CriterionId",
                table: "SubmittedAnswers",
                column: "CriterionId");

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedAnswers_OrganizationId",
                table: "SubmittedAnswers",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedElements_ElementId",
                table: "SubmittedElements",
                column: "ElementId");

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedElements_OrganizationId",
                table: "SubmittedElements",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedElements_SubmissionId_ElementId",
                table: "SubmittedElements",
                columns: new[] { "SubmissionId", "ElementId" },
                unique: true);

            // Existing data: the organization of every working answer, and one frozen round per assessment already
            // submitted, taken from its answers as they are now (ids reused: round = assessment, submitted element =
            // element response), so that its feedback, whose AssessmentId column became SubmissionId, belongs to it.
            migrationBuilder.Sql("UPDATE ElementResponses SET OrganizationId = (SELECT a.OrganizationId FROM Assessments a WHERE a.Id = ElementResponses.AssessmentId);");
            migrationBuilder.Sql("UPDATE CriterionResponses SET OrganizationId = (SELECT e.OrganizationId FROM ElementResponses e WHERE e.Id = CriterionResponses.ElementResponseId);");
            migrationBuilder.Sql("UPDATE Assessments SET Round = 1 WHERE SubmittedAt IS NOT NULL;");
            migrationBuilder.Sql("INSERT INTO Submissions (Id, AssessmentId, OrganizationId, Round, SubmittedAt, SubmittedBy, Decision, DecidedAt, DecidedBy, Version) SELECT Id, Id, OrganizationId, 1, SubmittedAt, COALESCE(SubmittedBy, CreatedBy), CASE Status WHEN 'Accepted' THEN 'Accepted' WHEN 'Returned' THEN 'Returned' ELSE 'Pending' END, ReviewedAt, ReviewedBy, Version FROM Assessments WHERE SubmittedAt IS NOT NULL;");
            migrationBuilder.Sql("INSERT INTO SubmittedElements (Id, SubmissionId, OrganizationId, ElementId, EvidenceNotes, EvidenceLinks, Priority, Version) SELECT e.Id, e.AssessmentId, e.OrganizationId, e.ElementId, e.EvidenceNotes, e.EvidenceLinks, e.Priority, e.Version FROM ElementResponses e INNER JOIN Assessments a ON a.Id = e.AssessmentId WHERE a.SubmittedAt IS NOT NULL;");
            migrationBuilder.Sql("INSERT INTO SubmittedAnswers (SubmittedElementId, CriterionId, OrganizationId, Kind, Answer) SELECT c.ElementResponseId, c.CriterionId, c.OrganizationId, c.Kind, c.Answer FROM CriterionResponses c INNER JOIN ElementResponses e ON e.Id = c.ElementResponseId INNER JOIN Assessments a ON a.Id = e.AssessmentId WHERE a.SubmittedAt IS NOT NULL;");
            migrationBuilder.Sql("UPDATE Feedback SET OrganizationId = (SELECT s.OrganizationId FROM Submissions s WHERE s.Id = Feedback.SubmissionId);");

            // SQLite changes a foreign key by rebuilding the table: both changes come after the data statements above, so
            // that none of them runs while a rebuild is pending (EF Core warns of that; the SQL is the same either way).
            migrationBuilder.DropForeignKey(
                name: "FK_Feedback_Assessments_AssessmentId",
                table: "Feedback");

            migrationBuilder.AddForeignKey(
                name: "FK_Feedback_Submissions_SubmissionId",
                table: "Feedback",
                column: "SubmissionId",
                principalTable: "Submissions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Feedback_Submissions_SubmissionId",
                table: "Feedback");

            migrationBuilder.DropTable(
                name: "ShareGrants");

            migrationBuilder.DropTable(
                name: "SubmittedAnswers");

            migrationBuilder.DropTable(
                name: "SubmittedElements");

            migrationBuilder.DropTable(
                name: "Submissions");

            migrationBuilder.DropIndex(
                name: "IX_Feedback_OrganizationId",
                table: "Feedback");

            migrationBuilder.DropIndex(
                name: "IX_ElementResponses_OrganizationId",
                table: "ElementResponses");

            migrationBuilder.DropIndex(
                name: "IX_CriterionResponses_OrganizationId",
                table: "CriterionResponses");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "Feedback");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "ElementResponses");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "CriterionResponses");

            migrationBuilder.DropColumn(
                name: "Round",
                table: "Assessments");

            migrationBuilder.RenameColumn(
                name: "SubmissionId",
                table: "Feedback",
                newName: "AssessmentId");

            migrationBuilder.RenameIndex(
                name: "IX_Feedback_SubmissionId",
                table: "Feedback",
                newName: "IX_Feedback_AssessmentId");

            migrationBuilder.AddForeignKey(
                name: "FK_Feedback_Assessments_AssessmentId",
                table: "Feedback",
                column: "AssessmentId",
                principalTable: "Assessments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
