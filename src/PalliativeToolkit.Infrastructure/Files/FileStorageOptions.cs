namespace PalliativeToolkit.Infrastructure.Files;

/// <summary>The <c>Files</c> configuration section: where uploaded documents are kept and how large one may be.</summary>
public sealed class FileStorageOptions
{
    public const string SectionName = "Files";

    /// <summary>The most <see cref="MaxBytes"/> may be set to: 100 MB.</summary>
    public const long MaxBytesCeiling = 100 * 1024 * 1024;

    /// <summary>The folder files are stored in; a relative path is resolved against the app's content root.</summary>
    public string Directory { get; set; } = "App_Data/files";

    /// <summary>The largest file accepted, in bytes (10 MB by default; more than 0 and at most <see cref="MaxBytesCeiling"/>).</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
}
