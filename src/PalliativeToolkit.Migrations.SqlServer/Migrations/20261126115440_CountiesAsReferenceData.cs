using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace PalliativeToolkit.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class CountiesAsReferenceData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The counties typed before they were reference data are kept, renamed, until start-up turns them into
            // counties of the 58 (DatabaseInitializer: Organization.AdoptLegacyCounties) and clears them.
            migrationBuilder.RenameColumn(
                name: "Counties",
                table: "Organizations",
                newName: "LegacyCounties");

            migrationBuilder.AlterColumn<string>(
                name: "LegacyCounties",
                table: "Organizations",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(1000)",
                oldMaxLength: 1000);

            migrationBuilder.AddColumn<string>(
                name: "CountyFips",
                table: "Organizations",
                type: "nvarchar(max)",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "Counties",
                columns: table => new
                {
                    Fips = table.Column<string>(type: "nvarchar(5)", maxLength: 5, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Region = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Counties", x => x.Fips);
                });

            migrationBuilder.InsertData(
                table: "Counties",
                columns: new[] { "Fips", "Name", "Region" },
                values: new object[,]
                {
                    { "06001", "Alameda", "Bay Area" },
                    { "06003", "Alpine", "Greater Sacramento" },
                    { "06005", "Amador", "Greater Sacramento" },
                    { "06007", "Butte", "Greater Sacramento" },
                    { "06009", "Calaveras", "San Joaquin Valley" },
                    { "06011", "Colusa", "Greater Sacramento" },
                    { "06013", "Contra Costa", "Bay Area" },
                    { "06015", "Del Norte", "Northern California" },
                    { "06017", "El Dorado", "Greater Sacramento" },
                    { "06019", "Fresno", "San Joaquin Valley" },
                    { "06021", "Glenn", "Northern California" },
                    { "06023", "Humboldt", "Northern California" },
                    { "06025", "Imperial", "Southern California" },
                    { "06027", "Inyo", "Southern California" },
                    { "06029", "Kern", "San Joaquin Valley" },
                    { "06031", "Kings", "San Joaquin Valley" },
                    { "06033", "Lake", "Northern California" },
                    { "06035", "Lassen", "Northern California" },
                    { "06037", "Los Angeles", "Southern California" },
                    { "06039", "Madera", "San Joaquin Valley" },
                    { "06041", "Marin", "Bay Area" },
                    { "06043", "Mariposa", "San Joaquin Valley" },
                    { "06045", "Mendocino", "Northern California" },
                    { "06047", "Merced", "San Joaquin Valley" },
                    { "06049", "Modoc", "Northern California" },
                    { "06051", "Mono", "Southern California" },
                    { "06053", "Monterey", "Bay Area" },
                    { "06055", "Napa", "Bay Area" },
                    { "06057", "Nevada", "Greater Sacramento" },
                    { "06059", "Orange", "Southern California" },
                    { "06061", "Placer", "Greater Sacramento" },
                    { "06063", "Plumas", "Greater Sacramento" },
                    { "06065", "Riverside", "Southern California" },
                    { "06067", "Sacramento", "Greater Sacramento" },
                    { "06069", "San Benito", "San Joaquin Valley" },
                    { "06071", "San Bernardino", "Southern California" },
                    { "06073", "San Diego", "Southern California" },
                    { "06075", "San Francisco", "Bay Area" },
                    { "06077", "San Joaquin", "San Joaquin Valley" },
                    { "06079", "San Luis Obispo", "Southern California" },
                    { "06081", "San Mateo", "Bay Area" },
                    { "06083", "Santa Barbara", "Southern California" },
                    { "06085", "Santa Clara", "Bay Area" },
                    { "06087", "Santa Cruz", "Bay Area" },
                    { "06089", "Shasta", "Northern California" },
                    { "06091", "Sierra", "Greater Sacramento" },
                    { "06093", "Siskiyou", "Northern California" },
                    { "06095", "Solano", "Bay Area" },
                    { "06097", "Sonoma", "Bay Area" },
                    { "06099", "Stanislaus", "San Joaquin Valley" },
                    { "06101", "Sutter", "Greater Sacramento" },
                    { "06103", "Tehama", "Northern California" },
                    { "06105", "Trinity", "Northern California" },
                    { "06107", "Tulare", "San Joaquin Valley" },
                    { "06109", "Tuolumne", "San Joaquin Valley" },
                    { "06111", "Ventura", "Southern California" },
                    { "06113", "Yolo", "Greater Sacramento" },
                    { "06115", "Yuba", "Greater Sacramento" }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Counties");

            migrationBuilder.DropColumn(
                name: "CountyFips",
                table: "Organizations");

            migrationBuilder.Sql("UPDATE Organizations SET LegacyCounties = '' WHERE LegacyCounties IS NULL");

            migrationBuilder.AlterColumn<string>(
                name: "LegacyCounties",
                table: "Organizations",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "nvarchar(1000)",
                oldMaxLength: 1000,
                oldNullable: true);

            migrationBuilder.RenameColumn(
                name: "LegacyCounties",
                table: "Organizations",
                newName: "Counties");
        }
    }
}
