using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class LibraryResourceFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FileContentType",
                table: "LibraryResources",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FileKey",
                table: "LibraryResources",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FileLength",
                table: "LibraryResources",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FileName",
                table: "LibraryResources",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FileType",
                table: "LibraryResources",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FileContentType",
                table: "LibraryResources");

            migrationBuilder.DropColumn(
                name: "FileKey",
                table: "LibraryResources");

            migrationBuilder.DropColumn(
                name: "FileLength",
                table: "LibraryResources");

            migrationBuilder.DropColumn(
                name: "FileName",
                table: "LibraryResources");

            migrationBuilder.DropColumn(
                name: "FileType",
                table: "LibraryResources");
        }
    }
}
