using System;
using System.Text.Json;

#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>Reads the records of format version 1 (docs/checkpoint-format.md).</summary>
internal sealed class JournalReaderV1 : IJournalRecordReader
{
    public static readonly JournalReaderV1 Instance = new();

    // A load calls this once per record, millions of times in one go: compile it optimized from the start
    // instead of running unoptimized code until tiered compilation catches up.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public string? TryParse(ReadOnlySpan<byte> line, JournalRecord record, bool details)
    {
        if (!details && CompletedRecordFastPath.TryParse(line, record))
        {
            return null;
        }

        return ParseJson(line, record, details);
    }

    /// <summary>
    /// Parses a record line with a JSON reader. Version 2 lines are version 1 records with a checksum member, which
    /// this skips like any field it does not know: <see cref="JournalReaderV2"/> checks the checksum first, then comes here.
    /// </summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    internal static string? ParseJson(ReadOnlySpan<byte> line, JournalRecord record, bool details)
    {
        record.Clear();
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "the line is not a JSON object";
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    return "unexpected JSON token";
                }

                ReadProperty(ref reader, record, details);
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0)
            {
                return "the JSON object is not closed";
            }

            // Anything after the object other than white space means the line is not one record.
            if (reader.Read())
            {
                return "unexpected text after the record";
            }
        }
        catch (JsonException ex)
        {
            return "invalid JSON: " + ex.Message;
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader's typed getters throw this for a value of the wrong type, e.g. "attempt":"x".
            return "a field has the wrong type: " + ex.Message;
        }
        catch (FormatException ex)
        {
            return "a field has the wrong format: " + ex.Message;
        }

        return Validate(record);
    }

    // A load calls this once per record, millions of times in one go: compile it optimized from the start
    // instead of running unoptimized code until tiered compilation catches up.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private static void ReadProperty(ref Utf8JsonReader reader, JournalRecord record, bool details)
    {
        if (reader.ValueTextEquals("type"u8))
        {
            reader.Read();
            record.Type = ParseType(ref reader);
        }
        else if (reader.ValueTextEquals("key"u8))
        {
            reader.Read();
            record.Key = reader.GetString();
        }
        else if (details && reader.ValueTextEquals("time"u8))
        {
            // Parsing a date costs more than the rest of a record; a load reads the few times it needs afterwards.
            reader.Read();
            record.Time = reader.GetDateTime();
        }
        else if (reader.ValueTextEquals("run"u8))
        {
            reader.Read();
            record.Run = reader.GetInt32();
        }
        else if (reader.ValueTextEquals("attempt"u8))
        {
            reader.Read();
            record.Attempt = reader.GetInt32();
        }
        else if (reader.ValueTextEquals("deaths"u8))
        {
            reader.Read();
            record.Deaths = reader.GetInt32();
        }
        else if (details && reader.ValueTextEquals("ms"u8))
        {
            reader.Read();
            record.Milliseconds = reader.GetDouble();
        }
        else if (reader.ValueTextEquals("output"u8))
        {
            reader.Read();
            record.HasOutput = reader.TokenType == JsonTokenType.String;
            if (details && record.HasOutput)
            {
                record.Output = reader.GetString();
            }
        }
        else if (details && reader.ValueTextEquals("error"u8))
        {
            reader.Read();
            record.Error = ReadError(ref reader);
        }
        else if (details && reader.ValueTextEquals("pid"u8))
        {
            reader.Read();
            record.ProcessId = reader.GetInt32();
        }
        else if (details && reader.ValueTextEquals("host"u8))
        {
            reader.Read();
            record.Host = reader.GetString();
        }
        else if (details && reader.ValueTextEquals("writer"u8))
        {
            reader.Read();
            record.Writer = reader.GetString();
        }
        else if (details && reader.ValueTextEquals("fingerprint"u8))
        {
            reader.Read();
            record.Fingerprint = reader.GetString();
        }
        else if (details && reader.ValueTextEquals("total"u8))
        {
            reader.Read();
            record.Total = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();
        }
        else if (reader.ValueTextEquals("outcome"u8))
        {
            reader.Read();
            record.Outcome = reader.GetString();
        }
        else if (reader.ValueTextEquals("reason"u8))
        {
            reader.Read();
            record.Reason = reader.GetString();
        }
        else if (reader.ValueTextEquals("seen"u8))
        {
            reader.Read();
            record.Seen = reader.GetInt64();
        }
        else
        {
            // Unknown or skipped fields: later writers may add fields, and readers ignore what they do not know.
            reader.Read();
            reader.Skip();
        }
    }

    // A load calls this once per record, millions of times in one go: compile it optimized from the start
    // instead of running unoptimized code until tiered compilation catches up.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private static RecordType ParseType(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("item-started"u8))
        {
            return RecordType.ItemStarted;
        }

        if (reader.ValueTextEquals("item-completed"u8))
        {
            return RecordType.ItemCompleted;
        }

        if (reader.ValueTextEquals("item-failed"u8))
        {
            return RecordType.ItemFailed;
        }

        if (reader.ValueTextEquals("item-interrupted"u8))
        {
            return RecordType.ItemInterrupted;
        }

        if (reader.ValueTextEquals("run-started"u8))
        {
            return RecordType.RunStarted;
        }

        if (reader.ValueTextEquals("run-ended"u8))
        {
            return RecordType.RunEnded;
        }

        return RecordType.Unknown;
    }

    private static ItemError? ReadError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? message = null, type = null, category = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.GetString();
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("category"u8))
            {
                reader.Read();
                category = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ItemError(message ?? string.Empty, type, category);
    }

    private static string? Validate(JournalRecord record)
    {
        switch (record.Type)
        {
            case RecordType.Unknown:
                return "the record has no known \"type\"";
            case RecordType.ItemStarted:
            case RecordType.ItemCompleted:
            case RecordType.ItemFailed:
            case RecordType.ItemInterrupted:
                if (string.IsNullOrEmpty(record.Key))
                {
                    return "an item record has no \"key\"";
                }

                if (record.Attempt < 0 || record.Deaths < 0)
                {
                    return "negative attempt or deaths";
                }

                return null;
            case RecordType.RunStarted:
            case RecordType.RunEnded:
                return record.Run <= 0 ? "a run record has no \"run\" number" : null;
            default:
                return null;
        }
    }
}
