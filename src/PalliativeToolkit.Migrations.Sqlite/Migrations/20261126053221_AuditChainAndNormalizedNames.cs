using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditChainAndNormalizedNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Organizations_Name",
                table: "Organizations");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedName",
                table: "Organizations",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ClientAddress",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "AuditEntries",
                type: "TEXT",
                unicode: false,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "OrganizationId",
                table: "AuditEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "AuditEntries",
                type: "TEXT",
                unicode: false,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "AuditEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "SubjectUserId",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            // Names compared case-insensitively: existing names that differ only in case (possible on SQLite) keep the
            // first (oldest id) as it is and get the start of their id appended, so the unique index can be built.
            migrationBuilder.Sql("UPDATE Organizations SET NormalizedName = UPPER(TRIM(Name));");
            migrationBuilder.Sql("UPDATE Organizations SET Name = substr(TRIM(Name), 1, 189) || ' (' || substr(Id, 1, 8) || ')', NormalizedName = UPPER(substr(TRIM(Name), 1, 189) || ' (' || substr(Id, 1, 8) || ')') WHERE EXISTS (SELECT 1 FROM Organizations AS o WHERE o.NormalizedName = Organizations.NormalizedName AND o.Id < Organizations.Id);");

            // Audit rows from before the chain are numbered in the order they were written; start-up seals them
            // (AuditChain.SealLegacyAsync) before anything new is appended.
            migrationBuilder.Sql("UPDATE AuditEntries SET Sequence = n.Number FROM (SELECT Id, ROW_NUMBER() OVER (ORDER BY Id) AS Number FROM AuditEntries) AS n WHERE n.Id = AuditEntries.Id;");

            migrationBuilder.CreateIndex(
                name: "IX_Organizations_NormalizedName",
                table: "Organizations",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Sequence",
                table: "AuditEntries",
                column: "Sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_SubjectUserId",
                table: "AuditEntries",
                column: "SubjectUserId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_UserId",
                table: "AuditEntries",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Organizations_NormalizedName",
                table: "Organizations");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_SubjectUserId",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_UserId",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "NormalizedName",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "ClientAddress",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "SubjectUserId",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_Organizations_Name",
                table: "Organizations",
                column: "Name",
                unique: true);
        }
    }
}
