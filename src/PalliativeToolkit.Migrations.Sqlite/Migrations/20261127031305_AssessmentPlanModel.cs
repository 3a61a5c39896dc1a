using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AssessmentPlanModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PlanModel",
                table: "Assessments",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "None");

            // An assessment begun before this column counts under its plan's model as it stands now.
            migrationBuilder.Sql("UPDATE \"Assessments\" SET \"PlanModel\" = (SELECT \"o\".\"PlanModel\" FROM \"Organizations\" AS \"o\" WHERE \"o\".\"Id\" = \"Assessments\".\"OrganizationId\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PlanModel",
                table: "Assessments");
        }
    }
}
