using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FileKey",
                table: "LibraryResources",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FileLength",
                table: "LibraryResources",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FileName",
                table: "LibraryResources",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FileType",
                table: "LibraryResources",
                type: "TEXT",
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
