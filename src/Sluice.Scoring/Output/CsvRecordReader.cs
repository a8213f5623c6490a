using System.Text;

namespace Sluice.Scoring.Output;

/// <summary>Reads RFC 4180 records (quoted fields may hold commas, quotes and newlines) as strings, one record at a time.</summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly StringBuilder _field = new();

    /// <summary>The next record's fields, or null at the end.</summary>
    public List<string>? Read()
    {
        var first = reader.Peek();
        if (first < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var quoted = false;
        _field.Clear();
        while (true)
        {
            var next = reader.Read();
            if (next < 0)
            {
                fields.Add(_field.ToString());
                return fields;
            }

            var c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    _field.Append(c);
                }
            }
            else if (c == '"' && _field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(_field.ToString());
                return fields;
            }
            else if (c != '\r')
            {
                _field.Append(c);
            }
        }
    }
}
