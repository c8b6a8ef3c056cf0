using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>
/// Serializes records to one line of UTF-8 JSON each, in the current format version (each line sealed by its checksum), into a buffer reused for every record (no allocation per item
/// beyond what the caller's strings already are). Not thread-safe: the session serializes access.
/// </summary>
internal sealed class RecordWriter : IDisposable
{
    // Relaxed escaping keeps non-ASCII keys readable in the file; the file is never embedded in HTML.
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    private readonly MemoryStream _buffer = new(256);

    // Times are kept to the millisecond, formatted once per millisecond: items recorded in the same millisecond
    // (most of them, in a fast run) reuse the text instead of formatting a date per record.
    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
    private readonly byte[] _time = new byte[24];
    private long _timeMillisecond = -1;
    private readonly Utf8JsonWriter _json;

    public RecordWriter()
    {
        _json = new Utf8JsonWriter(_buffer, s_options);
    }

    /// <summary>The first line; with <paramref name="keyHashCheck"/>, that of a checkpoint of hashed keys (version 3).</summary>
    public ArraySegment<byte> Header(string name, string writer, DateTime created, IEnumerable<KeyValuePair<string, string>> settings, string? keyHashCheck = null)
    {
        Begin();
        _json.WriteString("format"u8, JournalFormat.FormatId);
        _json.WriteNumber("version"u8, keyHashCheck is null ? JournalFormat.CurrentVersion : JournalFormat.HashedKeysVersion);
        _json.WriteString("created"u8, created);
        _json.WriteString("writer"u8, writer);
        _json.WriteString("name"u8, name);
        WriteSettings(settings);
        if (keyHashCheck is not null)
        {
            _json.WriteStartObject("keyHash"u8);
            _json.WriteString("alg"u8, KeyHasher.Algorithm);
            _json.WriteString("check"u8, keyHashCheck);
            _json.WriteEndObject();
        }

        return End();
    }

    public ArraySegment<byte> RunStarted(int run, DateTime time, CheckpointOwner owner, string? fingerprint, long? total, IEnumerable<KeyValuePair<string, string>> settings)
    {
        Begin(JournalFormat.RunStarted, time);
        _json.WriteNumber("run"u8, run);
        _json.WriteNumber("pid"u8, owner.ProcessId);
        _json.WriteString("host"u8, owner.HostName);
        _json.WriteString("writer"u8, owner.Writer);
        if (fingerprint is not null)
        {
            _json.WriteString("fingerprint"u8, fingerprint);
        }

        if (total is long t)
        {
            _json.WriteNumber("total"u8, t);
        }

        WriteSettings(settings);
        return End();
    }

    public ArraySegment<byte> ItemStarted(string key, DateTime time, int run, int attempt, int deaths)
    {
        Begin(JournalFormat.ItemStarted, time, key);
        _json.WriteNumber("run"u8, run);
        _json.WriteNumber("attempt"u8, attempt);
        if (deaths > 0)
        {
            _json.WriteNumber("deaths"u8, deaths);
        }

        return End();
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public ArraySegment<byte> ItemCompleted(string key, DateTime time, int attempt, double milliseconds, string? output)
    {
#if NET
        if (output is null && TryItemCompletedPlain(key, time, attempt, milliseconds) is { } plain)
        {
            return plain;
        }

#endif
        Begin(JournalFormat.ItemCompleted, time, key);
        _json.WriteNumber("attempt"u8, attempt);
        _json.WriteNumber("ms"u8, Math.Round(milliseconds, 3));
        if (output is not null)
        {
            _json.WriteString("output"u8, output);
        }

        return End();
    }

    /// <summary>An item-failed record; <paramref name="deaths"/> (written only when not 0) is how many runs died while a poison item was in flight.</summary>
    public ArraySegment<byte> ItemFailed(string key, DateTime time, int attempt, double milliseconds, ItemError error, int deaths = 0)
    {
        Begin(JournalFormat.ItemFailed, time, key);
        _json.WriteNumber("attempt"u8, attempt);
        _json.WriteNumber("ms"u8, Math.Round(milliseconds, 3));
        if (deaths > 0)
        {
            _json.WriteNumber("deaths"u8, deaths);
        }

        _json.WriteStartObject("error"u8);
        _json.WriteString("message"u8, error.Message);
        if (error.Type is not null)
        {
            _json.WriteString("type"u8, error.Type);
        }

        if (error.Category is not null)
        {
            _json.WriteString("category"u8, error.Category);
        }

        _json.WriteEndObject();
        return End();
    }

    public ArraySegment<byte> ItemInterrupted(string key, DateTime time, int attempt, int deaths)
    {
        Begin(JournalFormat.ItemInterrupted, time, key);
        _json.WriteNumber("attempt"u8, attempt);
        _json.WriteNumber("deaths"u8, deaths);
        return End();
    }

    public ArraySegment<byte> RunEnded(int run, DateTime time, string outcome, long seen, long completed, long failed, long skipped, string? reason = null)
    {
        Begin(JournalFormat.RunEnded, time);
        _json.WriteNumber("run"u8, run);
        _json.WriteString("outcome"u8, outcome);
        if (reason is not null)
        {
            _json.WriteString("reason"u8, reason);
        }

        _json.WriteNumber("seen"u8, seen);
        _json.WriteNumber("completed"u8, completed);
        _json.WriteNumber("failed"u8, failed);
        _json.WriteNumber("skipped"u8, skipped);
        return End();
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private ReadOnlySpan<byte> FormatTime(DateTime time)
    {
        var millisecond = time.Ticks / TimeSpan.TicksPerMillisecond;
        if (millisecond != _timeMillisecond)
        {
            _timeMillisecond = millisecond;
            var utc = new DateTime(millisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
#if NET
            // Straight into UTF-8 bytes: formatting through a string would allocate once per millisecond on the per-item path.
            utc.TryFormat(_time, out _, TimeFormat, CultureInfo.InvariantCulture);
#else
            // Windows PowerShell's build has no UTF-8 formatting; a string per millisecond is its price.
            System.Text.Encoding.ASCII.GetBytes(utc.ToString(TimeFormat, CultureInfo.InvariantCulture), 0, _time.Length, _time, 0);
#endif
        }

        return _time;
    }

#if NET
    /// <summary>
    /// The record written once per item, byte for byte as <see cref="Utf8JsonWriter"/> writes it, without it: a profile of
    /// a 200k-item run put 29 % of the engine's time in formatting records, more than the write() itself. Only keys of
    /// printable ASCII without <c>"</c> or <c>\</c> (nothing to escape); anything else takes the general path.
    /// RecordWriterTests compare the two byte for byte.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ArraySegment<byte>? TryItemCompletedPlain(string key, DateTime time, int attempt, double milliseconds)
    {
        foreach (var c in key)
        {
            if (c < ' ' || c > '~' || c == '"' || c == '\\')
            {
                return null;
            }
        }

        ReadOnlySpan<byte> prefix = "{\"type\":\"item-completed\",\"key\":\""u8;
        ReadOnlySpan<byte> timeName = "\",\"time\":\""u8;
        ReadOnlySpan<byte> attemptName = "\",\"attempt\":"u8;
        ReadOnlySpan<byte> msName = ",\"ms\":"u8;
        var room = prefix.Length + key.Length + timeName.Length + _time.Length + attemptName.Length + 11 + msName.Length + 32 + LineChecksum.SuffixLength + 1;
        _buffer.SetLength(0);
        _buffer.SetLength(room);
        var line = _buffer.GetBuffer().AsSpan(0, room);
        prefix.CopyTo(line);
        var at = prefix.Length;
        at += System.Text.Encoding.ASCII.GetBytes(key, line[at..]);
        timeName.CopyTo(line[at..]);
        at += timeName.Length;
        FormatTime(time).CopyTo(line[at..]);
        at += _time.Length;
        attemptName.CopyTo(line[at..]);
        at += attemptName.Length;
        attempt.TryFormat(line[at..], out var written, default, CultureInfo.InvariantCulture);
        at += written;
        msName.CopyTo(line[at..]);
        at += msName.Length;
        if (!TryFormatMilliseconds(milliseconds, line[at..], out written))
        {
            return null;
        }

        at += written;
        _buffer.SetLength(at);
        _buffer.Position = at;
        LineChecksum.Seal(_buffer, 0);
        _buffer.WriteByte((byte)'\n');
        return new ArraySegment<byte>(_buffer.GetBuffer(), 0, (int)_buffer.Length);
    }

    /// <summary>
    /// Math.Round(<paramref name="milliseconds"/>, 3) as the double's shortest text, which Utf8JsonWriter writes,
    /// from whole microseconds: formatting the double was a tenth of the record's cost. Below 1e9 ms the rounded
    /// double's shortest text is exactly its three decimals without trailing zeros (a double there is finer than 0.001
    /// by far); 0, negative and larger values take the double's own formatting.
    /// </summary>
    private static bool TryFormatMilliseconds(double milliseconds, Span<byte> destination, out int written)
    {
        if (!(milliseconds > 0 && milliseconds < 1e9))
        {
            return Math.Round(milliseconds, 3).TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }

        // As Math.Round(value, 3) rounds: the value times 1000, to even.
        var micros = (long)Math.Round(milliseconds * 1000);
        var whole = micros / 1000;
        var fraction = (int)(micros % 1000);
        if (!whole.TryFormat(destination, out written, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        if (fraction == 0)
        {
            return true;
        }

        var digits = fraction % 10 != 0 ? 3 : fraction % 100 != 0 ? 2 : 1;
        if (destination.Length < written + 1 + digits)
        {
            return false;
        }

        destination[written++] = (byte)'.';
        destination[written++] = (byte)('0' + (fraction / 100));
        if (digits > 1)
        {
            destination[written++] = (byte)('0' + (fraction / 10 % 10));
        }

        if (digits > 2)
        {
            destination[written++] = (byte)('0' + (fraction % 10));
        }

        return true;
    }

#endif
    public void Dispose()
    {
        _json.Dispose();
        _buffer.Dispose();
    }

    private void Begin()
    {
        _buffer.SetLength(0);
        _json.Reset(_buffer);
        _json.WriteStartObject();
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private void Begin(string type, DateTime time, string? key = null)
    {
        Begin();
        _json.WriteString("type"u8, type);
        if (key is not null)
        {
            _json.WriteString("key"u8, key);
        }

        _json.WriteString("time"u8, FormatTime(time));
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private ArraySegment<byte> End()
    {
        // The object is closed by the checksum (docs/checkpoint-format.md, version 2), computed over what is written so far.
        _json.Flush();
        LineChecksum.Seal(_buffer, 0);
        _buffer.WriteByte((byte)'\n');
        return new ArraySegment<byte>(_buffer.GetBuffer(), 0, (int)_buffer.Length);
    }

    private void WriteSettings(IEnumerable<KeyValuePair<string, string>> settings)
    {
        _json.WriteStartObject("settings"u8);
        foreach (var pair in settings)
        {
            _json.WriteString(pair.Key, pair.Value);
        }

        _json.WriteEndObject();
    }
}
