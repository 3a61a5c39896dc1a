using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LibraryResources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LibraryResources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Publisher = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Audience = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ElementCodes = table.Column<string>(type: "TEXT", nullable: false),
                    Tags = table.Column<string>(type: "TEXT", nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RetiredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RetiredBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LibraryResources", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LibraryResources_Key",
                table: "LibraryResources",
                column: "Key",
                unique: true);

            // Full-text search over the library (FTS5, stemmed), kept in step with the table by triggers.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE LibraryResourceSearch USING fts5(
                    Title, Summary, Publisher, Tags, content='LibraryResources', content_rowid='rowid', tokenize='porter unicode61');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER LibraryResources_SearchInsert AFTER INSERT ON LibraryResources BEGIN
                    INSERT INTO LibraryResourceSearch(rowid, Title, Summary, Publisher, Tags) VALUES (new.rowid, new.Title, new.Summary, new.Publisher, new.Tags);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER LibraryResources_SearchDelete AFTER DELETE ON LibraryResources BEGIN
                    INSERT INTO LibraryResourceSearch(LibraryResourceSearch, rowid, Title, Summary, Publisher, Tags) VALUES ('delete', old.rowid, old.Title, old.Summary, old.Publisher, old.Tags);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER LibraryResources_SearchUpdate AFTER UPDATE ON LibraryResources BEGIN
                    INSERT INTO LibraryResourceSearch(LibraryResourceSearch, rowid, Title, Summary, Publisher, Tags) VALUES ('delete', old.rowid, old.Title, old.Summary, old.Publisher, old.Tags);
                    INSERT INTO LibraryResourceSearch(rowid, Title, Summary, Publisher, Tags) VALUES (new.rowid, new.Title, new.Summary, new.Publisher, new.Tags);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS LibraryResources_SearchUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS LibraryResources_SearchDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS LibraryResources_SearchInsert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS LibraryResourceSearch;");

            migrationBuilder.DropTable(
                name: "LibraryResources");
        }
    }
}
