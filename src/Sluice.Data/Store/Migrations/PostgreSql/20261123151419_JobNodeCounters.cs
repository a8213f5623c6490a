using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sluice.Data.Store.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class JobNodeCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "NodeLosses",
                table: "jobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Preemptions",
                table: "jobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NodeLosses",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "Preemptions",
                table: "jobs");
        }
    }
}
