using Sluice.Core.Diagnostics;

namespace Sluice.Data.Datastores;

/// <summary>Normalises datastore-relative paths and refuses any that would escape the datastore.</summary>
public static class DatastorePaths
{
    public static string Normalize(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (segment)
            {
                case ".":
                    continue;
                case "..":
                    throw SluiceException.Invalid($"the datastore path '{path}' contains '..'; paths are relative to the datastore root and cannot leave it");
                default:
                    if (segment.Contains('\0', StringComparison.Ordinal))
                    {
                        throw SluiceException.Invalid($"the datastore path '{path}' contains a NUL character");
                    }

                    segments.Add(segment);
                    break;
            }
        }

        return string.Join('/', segments);
    }

    public static string Combine(string folder, string name)
    {
        var left = Normalize(folder);
        var right = Normalize(name);
        return left.Length == 0 ? right : right.Length == 0 ? left : $"{left}/{right}";
    }
}
