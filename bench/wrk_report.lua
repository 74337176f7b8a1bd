-- wrk's summary as one JSON line after its own report, for bench/load.py: latency
-- percentiles (microseconds), requests, duration and errors. wrk -s bench/wrk_report.lua …
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean, summary.requests, summary.duration, summary.bytes, errors.connect,
    errors.read, errors.write, errors.status, errors.timeout))
end
