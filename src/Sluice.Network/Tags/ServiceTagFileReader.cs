using System.Buffers;
using System.Text;
using System.Text.Json;
using Sluice.Network.Addressing;

namespace Sluice.Network.Tags;

/// <summary>
/// Reads Azure's published service tags JSON as a stream of tokens, never as a document: the real file is about
/// 4 MB with several thousand tags, and only names, regions, services and prefixes are kept. Prefixes are parsed
/// straight from the UTF-8 bytes. Unknown properties (<c>networkFeatures</c>, <c>regionId</c>, …) are ignored.
/// </summary>
public static class ServiceTagFileReader
{
    private const int InitialBufferSize = 64 * 1024;

    public static ServiceTagFile ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(stream);
    }

    /// <summary>Reads the file; throws <see cref="NetworkException"/> saying where it is malformed.</summary>
    public static ServiceTagFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var parser = new Parser();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    buffer = Grow(buffer, length);
                }

                var read = stream.Read(buffer, length, buffer.Length - length);
                length += read;
                length = Feed(parser, buffer, length, isFinal: read == 0);
                if (read == 0)
                {
                    return parser.Finish();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static async Task<ServiceTagFile> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var parser = new Parser();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    buffer = Grow(buffer, length);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                length += read;
                length = Feed(parser, buffer, length, isFinal: read == 0);
                if (read == 0)
                {
                    return parser.Finish();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    /// <summary>Parses what the buffer holds, moves the unconsumed tail to the front and returns its length.</summary>
    private static int Feed(Parser parser, byte[] buffer, int length, bool isFinal)
    {
        var consumed = parser.Feed(buffer.AsSpan(0, length), isFinal);
        var remaining = length - consumed;
        buffer.AsSpan(consumed, remaining).CopyTo(buffer);
        return remaining;
    }

    /// <summary>A resumable token handler: everything it needs between buffers lives in fields.</summary>
    private sealed class Parser
    {
        private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        private long _offset;
        private long _changeNumber;
        private string? _cloud;
        private readonly List<ServiceTag> _tags = [];

        private Property _rootProperty;
        private Property _tagProperty;
        private Property _propertiesProperty;
        private bool _inValues;
        private bool _inTag;
        private bool _inPrefixes;
        private string? _name;
        private string? _region;
        private string? _systemService;
        private List<IpPrefix> _prefixes = [];

        private enum Property
        {
            Other,
            ChangeNumber,
            Cloud,
            Values,
            Name,
            Properties,
            Region,
            SystemService,
            AddressPrefixes,
        }

        public int Feed(ReadOnlySpan<byte> data, bool isFinal)
        {
            var reader = new Utf8JsonReader(data, isFinal, _state);
            try
            {
                while (reader.Read())
                {
                    Handle(ref reader);
                }
            }
            catch (JsonException exception)
            {
                throw new NetworkException($"The service tags file is not valid JSON near byte {_offset + reader.BytesConsumed}: {exception.Message}", exception);
            }

            _state = reader.CurrentState;
            _offset += reader.BytesConsumed;
            return (int)reader.BytesConsumed;
        }

        public ServiceTagFile Finish() => new(_changeNumber, _cloud, _tags);

        private void Handle(ref Utf8JsonReader reader)
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when depth == 1:
                    _rootProperty = reader.ValueTextEquals("changeNumber"u8) ? Property.ChangeNumber
                        : reader.ValueTextEquals("cloud"u8) ? Property.Cloud
                        : reader.ValueTextEquals("values"u8) ? Property.Values
                        : Property.Other;
                    break;
                case JsonTokenType.PropertyName when depth == 3 && _inTag:
                    _tagProperty = reader.ValueTextEquals("name"u8) ? Property.Name
                        : reader.ValueTextEquals("properties"u8) ? Property.Properties
                        : Property.Other;
                    break;
                case JsonTokenType.PropertyName when depth == 4 && _inTag && _tagProperty == Property.Properties:
                    _propertiesProperty = reader.ValueTextEquals("region"u8) ? Property.Region
                        : reader.ValueTextEquals("systemService"u8) ? Property.SystemService
                        : reader.ValueTextEquals("addressPrefixes"u8) ? Property.AddressPrefixes
                        : Property.Other;
                    break;
                case JsonTokenType.StartArray when depth == 1 && _rootProperty == Property.Values:
                    _inValues = true;
                    break;
                case JsonTokenType.EndArray when depth == 1:
                    _inValues = false;
                    break;
                case JsonTokenType.StartObject when depth == 2 && _inValues:
                    StartTag();
                    break;
                case JsonTokenType.EndObject when depth == 2 && _inTag:
                    EndTag();
                    break;
                case JsonTokenType.StartArray when depth == 4 && _inTag && _tagProperty == Property.Properties && _propertiesProperty == Property.AddressPrefixes:
                    _inPrefixes = true;
                    break;
                case JsonTokenType.EndArray when depth == 4:
                    _inPrefixes = false;
                    break;
                case JsonTokenType.String when depth == 5 && _inPrefixes:
                    _prefixes.Add(ParsePrefix(ref reader));
                    break;
                case JsonTokenType.String when depth == 1 && _rootProperty == Property.Cloud:
                    _cloud = reader.GetString();
                    break;
                case JsonTokenType.Number when depth == 1 && _rootProperty == Property.ChangeNumber:
                    _changeNumber = reader.TryGetInt64(out var number) ? number : 0;
                    break;
                case JsonTokenType.String when depth == 3 && _inTag && _tagProperty == Property.Name:
                    _name = reader.GetString();
                    break;
                case JsonTokenType.String when depth == 4 && _inTag && _tagProperty == Property.Properties && _propertiesProperty == Property.Region:
                    _region = reader.GetString();
                    break;
                case JsonTokenType.String when depth == 4 && _inTag && _tagProperty == Property.Properties && _propertiesProperty == Property.SystemService:
                    _systemService = reader.GetString();
                    break;
            }
        }

        private void StartTag()
        {
            _inTag = true;
            _name = null;
            _region = null;
            _systemService = null;
            _tagProperty = Property.Other;
            _propertiesProperty = Property.Other;
            _prefixes = [];
        }

        private void EndTag()
        {
            _inTag = false;
            if (string.IsNullOrWhiteSpace(_name))
            {
                throw new NetworkException($"The service tags file has a tag without a name (entry {_tags.Count + 1}).");
            }

            _tags.Add(new ServiceTag
            {
                Name = _name,
                AddressPrefixes = _prefixes,
                Region = string.IsNullOrEmpty(_region) ? null : _region,
                SystemService = string.IsNullOrEmpty(_systemService) ? null : _systemService,
                Origin = ServiceTagOrigin.AzurePublished,
            });
        }

        private IpPrefix ParsePrefix(ref Utf8JsonReader reader)
        {
            Span<char> chars = stackalloc char[64];
            ReadOnlySpan<char> text = !reader.ValueIsEscaped && reader.ValueSpan.Length <= chars.Length
                ? chars[..Encoding.ASCII.GetChars(reader.ValueSpan, chars)]
                : (reader.GetString() ?? string.Empty).AsSpan();
            if (!IpPrefix.TryParse(text, out var prefix, out var error))
            {
                throw new NetworkException($"The service tags file has a malformed prefix in tag '{_name ?? "(unnamed)"}': {error}");
            }

            return prefix;
        }
    }
}
