using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sluice.Data.Store.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cluster_members",
                columns: table => new
                {
                    ClusterId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    Silo = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    EntryJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ETag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    IAmAliveTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cluster_members", x => new { x.ClusterId, x.Silo });
                });

            migrationBuilder.CreateTable(
                name: "cluster_versions",
                columns: table => new
                {
                    ClusterId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ETag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    ModifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cluster_versions", x => x.ClusterId);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    Workspace = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    EndpointName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    DeploymentName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    DefinitionJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    StatusReason = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    TraceId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ModifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    MiniBatchesTotal = table.Column<int>(type: "integer", nullable: false),
                    MiniBatchesSucceeded = table.Column<int>(type: "integer", nullable: false),
                    MiniBatchesFailed = table.Column<int>(type: "integer", nullable: false),
                    ItemsTotal = table.Column<long>(type: "bigint", nullable: false),
                    ItemsSucceeded = table.Column<long>(type: "bigint", nullable: false),
                    ItemsFailed = table.Column<long>(type: "bigint", nullable: false),
                    PlannedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => new { x.Workspace, x.Name });
                });

            migrationBuilder.CreateTable(
                name: "mini_batches",
                columns: table => new
                {
                    Workspace = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Job = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    FilesJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ItemCount = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    RowCount = table.Column<long>(type: "bigint", nullable: false),
                    FailedItems = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Worker = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mini_batches", x => new { x.Workspace, x.Job, x.Index });
                });

            migrationBuilder.CreateTable(
                name: "resources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Workspace = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    Parent = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    Version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    VersionNumber = table.Column<long>(type: "bigint", nullable: true),
                    SpecJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SystemJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Archived = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "secrets",
                columns: table => new
                {
                    Workspace = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Scope = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    Value = table.Column<byte[]>(type: "bytea", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_secrets", x => new { x.Workspace, x.Scope, x.Name });
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    SpecJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workspaces", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_Status",
                table: "jobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_Workspace_EndpointName_CreatedAt",
                table: "jobs",
                columns: new[] { "Workspace", "EndpointName", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_mini_batches_Workspace_Job_Status",
                table: "mini_batches",
                columns: new[] { "Workspace", "Job", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_resources_Workspace_Kind_Parent_Name_Version",
                table: "resources",
                columns: new[] { "Workspace", "Kind", "Parent", "Name", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cluster_members");

            migrationBuilder.DropTable(
                name: "cluster_versions");

            migrationBuilder.DropTable(
                name: "jobs");

            migrationBuilder.DropTable(
                name: "mini_batches");

            migrationBuilder.DropTable(
                name: "resources");

            migrationBuilder.DropTable(
                name: "secrets");

            migrationBuilder.DropTable(
                name: "workspaces");
        }
    }
}
