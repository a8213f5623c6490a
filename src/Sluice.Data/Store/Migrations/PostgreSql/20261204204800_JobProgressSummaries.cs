using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sluice.Data.Store.Migrations.PostgreSql
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "job_node_shares",
                columns: table => new
                {
                    Workspace = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Job = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    Node = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    MiniBatches = table.Column<int>(type: "integer", nullable: false),
                    FailedMiniBatches = table.Column<int>(type: "integer", nullable: false),
                    Items = table.Column<long>(type: "bigint", nullable: false),
                    Rows = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_node_shares", x => new { x.Workspace, x.Job, x.Node });
                });

            // Jobs recorded before this migration get their summaries from their mini-batches.
            migrationBuilder.Sql(JobProgressSummariesBackfill.Sql("strpos"));
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
