using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalliativeToolkit.Migrations.SqlServer.Migrations
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
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<string>(
                name: "Action",
                table: "AuditEntries",
                type: "nvarchar(50)",
                maxLength: 50,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(20)",
                oldMaxLength: 20);

            migrationBuilder.AddColumn<string>(
                name: "ClientAddress",
                table: "AuditEntries",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "AuditEntries",
                type: "varchar(64)",
                unicode: false,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "OrganizationId",
                table: "AuditEntries",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "AuditEntries",
                type: "varchar(64)",
                unicode: false,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "AuditEntries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "SubjectUserId",
                table: "AuditEntries",
                type: "nvarchar(450)",
                maxLength: 450,
                nullable: true);

            // Names compared case-insensitively: existing names that differ only in case (possible under a case-sensitive
            // collation) keep the first (lowest id) as it is and get the start of their id appended.
            migrationBuilder.Sql("EXEC(N'UPDATE Organizations SET NormalizedName = UPPER(LTRIM(RTRIM(Name)))')");
            migrationBuilder.Sql("EXEC(N'UPDATE o SET Name = LEFT(LTRIM(RTRIM(o.Name)), 189) + N'' ('' + LEFT(CONVERT(nvarchar(36), o.Id), 8) + N'')'', NormalizedName = UPPER(LEFT(LTRIM(RTRIM(o.Name)), 189) + N'' ('' + LEFT(CONVERT(nvarchar(36), o.Id), 8) + N'')'') FROM Organizations AS o WHERE EXISTS (SELECT 1 FROM Organizations AS p WHERE p.NormalizedName = o.NormalizedName AND p.Id < o.Id)')");

            // Audit rows from before the chain are numbered in the order they were written; start-up seals them
            // (AuditChain.SealLegacyAsync) before anything new is appended.
            migrationBuilder.Sql("EXEC(N'UPDATE a SET Sequence = n.Number FROM AuditEntries AS a INNER JOIN (SELECT Id, ROW_NUMBER() OVER (ORDER BY Id) AS Number FROM AuditEntries) AS n ON n.Id = a.Id')");

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

            migrationBuilder.AlterColumn<string>(
                name: "Action",
                table: "AuditEntries",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(50)",
                oldMaxLength: 50);

            migrationBuilder.CreateIndex(
                name: "IX_Organizations_Name",
                table: "Organizations",
                column: "Name",
                unique: true);
        }
    }
}
