namespace IncrementalPS.Core;

/// <summary>
/// What is kept in memory per key: 16 bytes beside the key string. Errors and saved output stay on disk and are read
/// back through <see cref="Offset"/>, so memory is bounded by the number of keys, not by what items produced.
/// </summary>
internal struct KeyEntry
{
    /// <summary>Where the key's latest record starts in the file.</summary>
    public long Offset;

    /// <summary>The run that wrote the latest record.</summary>
    public int Run;

    /// <summary>Attempts made over the checkpoint's life.</summary>
    public ushort Attempts;

    /// <summary>Runs that died while this key was in flight, since it last finished.</summary>
    public byte Deaths;

    public KeyStatus Status;

    public bool HasOutput
    {
        readonly get => (_flags & 1) != 0;
        set => _flags = (byte)(value ? _flags | 1 : _flags & ~1);
    }

    private byte _flags;

    public readonly ItemState PublicState => Status switch
    {
        KeyStatus.Completed => ItemState.Completed,
        KeyStatus.Failed => ItemState.Failed,
        _ => ItemState.InFlight,
    };
}
