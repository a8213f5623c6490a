using Azure;
using Azure.Storage.Blobs.Models;
using Sluice.Core.Diagnostics;

namespace Sluice.Data.Datastores.Blob;

/// <summary>
/// Turns the storage service's refusals into Sluice's errors: each names the datastore, its account and container,
/// and the path, says what went wrong and how to fix it. Problems of the datastore as a whole (credentials, container,
/// endpoint) become <see cref="SluiceException"/>s; problems of one file become <see cref="IOException"/>s
/// (<see cref="FileNotFoundException"/> when it is gone), so a job fails that file alone. No message carries the
/// service's own text or the request: those could echo a secret, and the error code says enough.
/// </summary>
internal sealed class BlobFailures(DatastoreAccess access)
{
    public string Where => access.Describe();

    /// <summary>The Sluice error for a failed storage call, or null when <paramref name="exception"/> is not one.</summary>
    public Exception? Map(Exception exception, string operation, string? path, bool whileReading = false) => exception switch
    {
        RequestFailedException failed => Map(failed, operation, path, whileReading),
        // The retry policy gave up on transport failures (refused connections, timeouts): it reports every try; the
        // last says most.
        AggregateException { InnerExceptions: [.., var last] } => last switch
        {
            RequestFailedException failed => Map(failed, operation, path, whileReading),
            TaskCanceledException or TimeoutException or HttpRequestException or IOException => Unreachable(last.Message),
            _ => null,
        },
        _ => null,
    };

    public Exception Map(RequestFailedException failed, string operation, string? path, bool whileReading = false)
    {
        var item = path is null or "" ? "the container" : $"'{path}'";
        var code = failed.ErrorCode;
        if (failed.Status == 0)
        {
            // The transport's message ("Connection refused (127.0.0.1:10000)", a DNS failure) names the host, never a secret.
            return Unreachable(failed.InnerException?.Message ?? "no response");
        }

        if (Is(code, BlobErrorCode.ContainerNotFound))
        {
            return new SluiceException(
                $"{Where}: the container '{access.ContainerName}' does not exist in storage account '{access.AccountName}' (ContainerNotFound).",
                SluiceErrorKind.Invalid,
                "create the container, or fix container_name in the datastore's spec");
        }

        if (Is(code, BlobErrorCode.BlobNotFound))
        {
            return whileReading ? DeletedWhileReading(path ?? string.Empty) : new FileNotFoundException($"{Where} has no file {item} (BlobNotFound).", path);
        }

        if (Is(code, BlobErrorCode.AuthenticationFailed) || failed.Status == 401 || Is(code, BlobErrorCode.NoAuthenticationInformation))
        {
            return CredentialsRefused(code);
        }

        if (Is(code, BlobErrorCode.AuthorizationFailure) && access.CredentialKind == DatastoreCredentialKind.AccountKey)
        {
            // A key is all or nothing, so a refusal is a wrong key (as Azurite reports it) or the account's firewall.
            return new SluiceException(
                $"{Where} refused the credentials: the account key does not match the keys of storage account '{access.AccountName}', or the account's firewall does not let this machine in ({code}).",
                SluiceErrorKind.Invalid,
                "update the datastore with the account's current key1 or key2 (credentials.account_key); if the key is right, check the account's firewall and network rules");
        }

        if (failed.Status == 403 || (failed.Status == 404 && access.CredentialKind == DatastoreCredentialKind.None && Is(code, BlobErrorCode.ResourceNotFound)))
        {
            return NotPermitted(operation, item, code, failed.Status);
        }

        if (Is(code, BlobErrorCode.InvalidResourceName) || Is(code, BlobErrorCode.OutOfRangeInput))
        {
            return new SluiceException($"{Where}: the storage service refused the name {item} ({code}).", SluiceErrorKind.Invalid, "blob names have at most 1,024 characters and 254 path segments");
        }

        if (failed.Status >= 500 || failed.Status is 408 or 429)
        {
            return new SluiceException(
                $"{Where} could not {operation} {item}: the storage service answered {failed.Status} ({code ?? "no error code"}) after every retry.",
                SluiceErrorKind.Unavailable,
                "the service is busy or failing; try again later");
        }

        return new IOException($"{Where} could not {operation} {item}: the storage service answered {failed.Status} ({code ?? "no error code"}).");
    }

    /// <summary>Compares as text: the code may be null (a response without one), which the extensible enum refuses.</summary>
    private static bool Is(string? code, BlobErrorCode expected) => code is not null && code == expected.ToString();

    public FileNotFoundException DeletedWhileReading(string path) => new($"{Where}: '{path}' was deleted while it was being read (BlobNotFound).", path);

    /// <summary>Whether a read failed because the blob no longer matches the version the stream opened (deleted or replaced).</summary>
    public static bool IsChanged(Exception exception) => exception switch
    {
        Azure.RequestFailedException failed => Is(failed.ErrorCode, BlobErrorCode.ConditionNotMet),
        AggregateException { InnerExceptions: var inner } => inner.OfType<Azure.RequestFailedException>().LastOrDefault() is { } last && IsChanged(last),
        _ => false,
    };

    public IOException AlreadyExists(string path) => new($"{Where}: '{path}' already exists.");

    private SluiceException Unreachable(string cause) =>
        new(
            $"{Where} cannot be reached at {access.BlobEndpoint}: {cause}.",
            SluiceErrorKind.Unavailable,
            "check the datastore's endpoint and protocol (for Azurite, http://127.0.0.1:<port>/devstoreaccount1), that the storage service or emulator is running, and that the network lets this machine reach it");

    private SluiceException CredentialsRefused(string? code) => access.CredentialKind switch
    {
        DatastoreCredentialKind.AccountKey => new SluiceException(
            $"{Where} refused the credentials: the account key does not match the keys of storage account '{access.AccountName}' ({code ?? "AuthenticationFailed"}).",
            SluiceErrorKind.Invalid,
            "update the datastore with the account's current key1 or key2 (credentials.account_key); keys change when they are rotated"),
        DatastoreCredentialKind.SasToken => new SluiceException(
            $"{Where} refused the credentials: the SAS token's signature does not match, or the token has expired or is not valid yet ({code ?? "AuthenticationFailed"}).",
            SluiceErrorKind.Invalid,
            "generate a new SAS token for the container and update the datastore (credentials.sas_token)"),
        _ => new SluiceException(
            $"{Where} needs credentials: the container does not allow anonymous access ({code ?? "NoAuthenticationInformation"}).",
            SluiceErrorKind.Invalid,
            "give the datastore credentials.account_key or credentials.sas_token"),
    };

    private SluiceException NotPermitted(string operation, string item, string? code, int status) => new(
        $"{Where} refused to {operation} {item}: the credentials do not allow it ({code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture)}).",
        SluiceErrorKind.Invalid,
        access.CredentialKind switch
        {
            DatastoreCredentialKind.SasToken => "give the SAS token the permissions jobs need on the container: read and list for inputs, create and write (and delete to replace) for outputs",
            DatastoreCredentialKind.None => "the container is not public; give the datastore credentials.account_key or credentials.sas_token",
            _ => "check the storage account's firewall and network rules, and that the key belongs to this account",
        });
}
