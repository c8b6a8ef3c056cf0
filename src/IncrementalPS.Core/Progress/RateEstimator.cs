using System;

namespace IncrementalPS.Core;

/// <summary>
/// Items per second as an exponentially weighted moving average, so one slow or fast item does not swing the ETA.
/// Starts from the plain average until there is enough history to smooth.
/// </summary>
internal sealed class RateEstimator
{
    private const double TimeConstantSeconds = 10.0;
    private const double MinimumIntervalSeconds = 0.1;

    private double _lastSeconds;
    private long _lastCount;
    private double _rate;
    private bool _smoothing;

    public double Rate => _rate;

    /// <summary>Folds in the count of processed items at <paramref name="elapsedSeconds"/> since the start.</summary>
    public double Update(double elapsedSeconds, long processed)
    {
        var interval = elapsedSeconds - _lastSeconds;
        if (interval < MinimumIntervalSeconds)
        {
            return _rate;
        }

        var instant = (processed - _lastCount) / interval;
        if (!_smoothing)
        {
            _rate = elapsedSeconds > 0 ? processed / elapsedSeconds : 0;
            _smoothing = elapsedSeconds >= 2.0 && processed > 0;
        }
        else
        {
            var alpha = 1 - Math.Exp(-interval / TimeConstantSeconds);
            _rate += alpha * (instant - _rate);
        }

        _lastSeconds = elapsedSeconds;
        _lastCount = processed;
        return _rate;
    }
}
