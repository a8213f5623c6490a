using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sluice.Data.Store.Migrations.Sqlite
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
                    ClusterId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Silo = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    EntryJson = table.Column<string>(type: "TEXT", nullable: false),
                    ETag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    IAmAliveTime = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cluster_members", x => new { x.ClusterId, x.Silo });
                });

            migrationBuilder.CreateTable(
                name: "cluster_versions",
                columns: table => new
                {
                    ClusterId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ETag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cluster_versions", x => x.ClusterId);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    Workspace = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    EndpointName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DeploymentName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DefinitionJson = table.Column<string>(type: "TEXT", nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", nullable: true),
                    TraceId = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    MiniBatchesTotal = table.Column<int>(type: "INTEGER", nullable: false),
                    MiniBatchesSucceeded = table.Column<int>(type: "INTEGER", nullable: false),
                    MiniBatchesFailed = table.Column<int>(type: "INTEGER", nullable: false),
                    ItemsTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    ItemsSucceeded = table.Column<long>(type: "INTEGER", nullable: false),
                    ItemsFailed = table.Column<long>(type: "INTEGER", nullable: false),
                    PlannedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => new { x.Workspace, x.Name });
                });

            migrationBuilder.CreateTable(
                name: "mini_batches",
                columns: table => new
                {
                    Workspace = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Job = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    FilesJson = table.Column<string>(type: "TEXT", nullable: false),
                    ItemCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RowCount = table.Column<long>(type: "INTEGER", nullable: false),
                    FailedItems = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    Worker = table.Column<string>(type: "TEXT", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mini_batches", x => new { x.Workspace, x.Job, x.Index });
                });

            migrationBuilder.CreateTable(
                name: "resources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Workspace = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Parent = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    VersionNumber = table.Column<long>(type: "INTEGER", nullable: true),
                    SpecJson = table.Column<string>(type: "TEXT", nullable: false),
                    SystemJson = table.Column<string>(type: "TEXT", nullable: false),
                    Archived = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "secrets",
                columns: table => new
                {
                    Workspace = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Value = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_secrets", x => new { x.Workspace, x.Scope, x.Name });
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SpecJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
