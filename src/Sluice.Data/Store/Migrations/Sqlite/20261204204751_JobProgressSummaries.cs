using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sluice.Data.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class JobProgressSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "FirstOutputAt",
                table: "jobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "job_node_shares",
                columns: table => new
                {
                    Workspace = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Job = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Node = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    MiniBatches = table.Column<int>(type: "INTEGER", nullable: false),
                    FailedMiniBatches = table.Column<int>(type: "INTEGER", nullable: false),
                    Items = table.Column<long>(type: "INTEGER", nullable: false),
                    Rows = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_node_shares", x => new { x.Workspace, x.Job, x.Node });
                });

            // Jobs recorded before this migration get their summaries from their mini-batches.
            migrationBuilder.Sql(JobProgressSummariesBackfill.Sql("instr"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "job_node_shares");

            migrationBuilder.DropColumn(
                name: "FirstOutputAt",
                table: "jobs");
        }
    }
}
