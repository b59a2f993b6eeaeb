package org.fieldwork.seismic;

/**
 * Binary header fields. The names up to {@code ExtendedHeaders} are segyio 1.8's {@code segyio.binfield}
 * keys, read with the widths and signedness segyio uses (so {@code SEGYRevision} is the 16-bit value,
 * 256 for revision 1.0). The revision 2 fields segyio 1.8 does not know carry the names later segyio
 * releases give them.
 */
@SuppressWarnings("java:S115") // names are segyio's
public enum BinaryHeaderField {
    JobID(3201, 4, Kind.SIGNED),
    LineNumber(3205, 4, Kind.SIGNED),
    ReelNumber(3209, 4, Kind.SIGNED),
    Traces(3213, 2, Kind.SIGNED),
    AuxTraces(3215, 2, Kind.SIGNED),
    Interval(3217, 2, Kind.SIGNED),
    IntervalOriginal(3219, 2, Kind.SIGNED),
    Samples(3221, 2, Kind.SIGNED),
    SamplesOriginal(3223, 2, Kind.SIGNED),
    Format(3225, 2, Kind.SIGNED),
    EnsembleFold(3227, 2, Kind.SIGNED),
    SortingCode(3229, 2, Kind.SIGNED),
    VerticalSum(3231, 2, Kind.SIGNED),
    SweepFrequencyStart(3233, 2, Kind.SIGNED),
    SweepFrequencyEnd(3235, 2, Kind.SIGNED),
    SweepLength(3237, 2, Kind.SIGNED),
    Sweep(3239, 2, Kind.SIGNED),
    SweepChannel(3241, 2, Kind.SIGNED),
    SweepTaperStart(3243, 2, Kind.SIGNED),
    SweepTaperEnd(3245, 2, Kind.SIGNED),
    Taper(3247, 2, Kind.SIGNED),
    CorrelatedTraces(3249, 2, Kind.SIGNED),
    BinaryGainRecovery(3251, 2, Kind.SIGNED),
    AmplitudeRecovery(3253, 2, Kind.SIGNED),
    MeasurementSystem(3255, 2, Kind.SIGNED),
    ImpulseSignalPolarity(3257, 2, Kind.SIGNED),
    VibratoryPolarity(3259, 2, Kind.SIGNED),
    SEGYRevision(3501, 2, Kind.SIGNED),
    TraceFlag(3503, 2, Kind.SIGNED),
    ExtendedHeaders(3505, 2, Kind.SIGNED),
    // Revision 2 additions.
    ExtEnsembleTraces(3261, 4, Kind.SIGNED),
    ExtAuxEnsembleTraces(3265, 4, Kind.SIGNED),
    ExtSamples(3269, 4, Kind.SIGNED),
    ExtInterval(3273, 8, Kind.FLOAT),
    ExtIntervalOriginal(3281, 8, Kind.FLOAT),
    ExtSamplesOriginal(3289, 4, Kind.SIGNED),
    ExtEnsembleFold(3293, 4, Kind.SIGNED),
    IntConstant(3297, 4, Kind.SIGNED),
    SEGYRevisionMajor(3501, 1, Kind.UNSIGNED),
    SEGYRevisionMinor(3502, 1, Kind.UNSIGNED),
    MaxAdditionalTraceHeaders(3507, 2, Kind.SIGNED),
    TimeBasisCode(3511, 2, Kind.SIGNED),
    NrTracesInStream(3513, 8, Kind.UNSIGNED),
    FirstTraceOffset(3521, 8, Kind.UNSIGNED),
    NrTrailerStanzas(3529, 4, Kind.SIGNED);

    /** How the bytes are interpreted. */
    public enum Kind { SIGNED, UNSIGNED, FLOAT }

    private final int position;
    private final int width;
    private final Kind kind;

    BinaryHeaderField(int position, int width, Kind kind) {
        this.position = position;
        this.width = width;
        this.kind = kind;
    }

    /** 1-based byte position in the file. */
    public int position() {
        return position;
    }

    public int width() {
        return width;
    }

    public Kind kind() {
        return kind;
    }

    /** True for the fields segyio 1.8's {@code f.bin} reports. */
    public boolean inSegyio() {
        return ordinal() <= ExtendedHeaders.ordinal();
    }

    /**
     * Reads the field from the first 3600 bytes of a file. Unsigned 64-bit values above
     * {@link Long#MAX_VALUE} come back negative; callers that use them as offsets reject those.
     */
    public Number read(byte[] head, boolean bigEndian) {
        int at = position - 1;
        // Integer for what fits, Long for unsigned 32-bit and 64-bit fields, Double for floats.
        switch (width) {
            case 1:
                return kind == Kind.UNSIGNED ? Integer.valueOf(head[at] & 0xff) : Integer.valueOf(head[at]);
            case 2:
                return kind == Kind.UNSIGNED ? Integer.valueOf(Bytes.u16(head, at, bigEndian)) : Integer.valueOf(Bytes.i16(head, at, bigEndian));
            case 4:
                if (kind == Kind.UNSIGNED) {
                    return Long.valueOf(Bytes.i32(head, at, bigEndian) & 0xffffffffL);
                }
                return Integer.valueOf(Bytes.i32(head, at, bigEndian));
            default:
                if (kind == Kind.FLOAT) {
                    return Double.valueOf(Double.longBitsToDouble(Bytes.i64(head, at, bigEndian)));
                }
                return Long.valueOf(Bytes.i64(head, at, bigEndian));
        }
    }
}
