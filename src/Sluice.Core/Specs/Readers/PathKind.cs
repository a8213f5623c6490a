namespace Sluice.Core.Specs.Readers;

/// <summary>What a local path must point at.</summary>
internal enum PathKind
{
    FileOrFolder,
    File,
    Folder,
}
