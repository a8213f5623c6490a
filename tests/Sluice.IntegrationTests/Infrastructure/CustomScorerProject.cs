namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>A deployment of one of the test scorers (tests/Sluice.TestScorers), with a code folder holding its assembly.</summary>
public static class CustomScorerProject
{
    public static void Write(TempFolder folder, string endpoint, string scorerType, string settings = "", string deploymentName = "custom")
    {
        Directory.CreateDirectory(folder.Combine("code"));
        var assembly = typeof(Sluice.TestScorers.ThrowingScorer).Assembly.Location;
        File.Copy(assembly, folder.Combine("code", Path.GetFileName(assembly)), overwrite: true);
        folder.Write("model/weights.txt", "none");
        folder.Write("endpoint.yml", $"name: {endpoint}\n");
        folder.Write("deployment.yml", $"""
            name: {deploymentName}
            endpoint_name: {endpoint}
            model:
              name: {endpoint}-weights
              path: model
            code_configuration:
              code: code
              scoring_script: Sluice.TestScorers.dll:Sluice.TestScorers.{scorerType}
            settings:
              mini_batch_size: 1
            {settings}
            """);
    }

    /// <summary>Writes small text files named as given into a folder of the test's.</summary>
    public static string WriteInputs(TempFolder folder, params string[] names)
    {
        foreach (var name in names)
        {
            folder.Write($"inputs/{name}", $"line 1 of {name}\nline 2\n");
        }

        return folder.Combine("inputs");
    }
}
