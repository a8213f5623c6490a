using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sluice.Data.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MiniBatchGroupParts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Part",
                table: "mini_batches",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PartLength",
                table: "mini_batches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "PartOffset",
                table: "mini_batches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Part",
                table: "mini_batches");

            migrationBuilder.DropColumn(
                name: "PartLength",
                table: "mini_batches");

            migrationBuilder.DropColumn(
                name: "PartOffset",
                table: "mini_batches");
        }
    }
}
