using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Files;

// In the infrastructure's root namespace, beside AddToolkitInfrastructure, which calls it.
namespace PalliativeToolkit.Infrastructure;

public static class FileStorageRegistration
{
    /// <summary>
    /// Uploaded documents (<c>Files</c> section): a <see cref="FolderFileStore"/> on <see cref="FileStorageOptions.Directory"/>,
    /// a relative path resolved against <paramref name="contentRoot"/>. Bad settings stop start-up.
    /// </summary>
    public static IServiceCollection AddFileStorage(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<FileStorageOptions>()
            .Bind(configuration.GetSection(FileStorageOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "Files:Directory is empty.")
            .Validate(
                o => o.MaxBytes is > 0 and <= FileStorageOptions.MaxBytesCeiling,
                $"Files:MaxBytes must be more than 0 and at most {FileStorageOptions.MaxBytesCeiling} (100 MB).")
            .ValidateOnStart();
        services.AddSingleton<IFileStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FileStorageOptions>>().Value;
            return new FolderFileStore(Path.GetFullPath(options.Directory, contentRoot), options.MaxBytes);
        });
        return services;
    }
}
