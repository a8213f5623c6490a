using Sluice.Cli;
using Sluice.Cli.Infrastructure;

using var context = CliContext.ForProcess();
return await SluiceCli.RunAsync(args, context);
