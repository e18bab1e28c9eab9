/*
 * The doubles most session tests play with (common.h): one stream of
 * numbered 10 ms samples, seekable and pausable, into one stream sink that
 * keeps every sample's time.  A file of its own in the test library: only
 * the programs that call these pull it in, and with it the doubles.
 */
#include "common.h"
#include "doubles/doubles.h"

struct dsource *one_stream_source(const char *name, unsigned samples, BOOL rate_support)
{
    struct dsource_desc desc = {0};
    struct dsource *src = NULL;
    desc.stream_count = 1;
    desc.samples_per_stream = samples;
    desc.sample_duration = ONE_STREAM_SAMPLE_DURATION;
    desc.sample_bytes = 4;
    desc.seekable = desc.can_pause = TRUE;
    desc.eager_end_of_stream = TRUE;
    desc.rate_support = rate_support;
    desc.name = name;
    dsource_create(&desc, &src);
    return src;
}

struct dsink *one_stream_sink(const char *name, BOOL rateless, unsigned request_limit)
{
    struct dsink_desc desc = {0};
    struct dsink *sink = NULL;
    desc.stream_count = 1;
    desc.rateless = rateless;
    desc.keep_samples = TRUE;
    desc.request_depth = 2;
    desc.request_limit = request_limit;
    desc.name = name;
    dsink_create(&desc, &sink);
    return sink;
}
