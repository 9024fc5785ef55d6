package io.snowpiperelay.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.snowflake.ingest.streaming.SFException;
import io.snowpiperelay.internal.PortException;
import io.snowpiperelay.internal.PortException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdkErrorsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            InvalidChannelError        | Channel X is in an invalid state. Please close and re-open the channel | CHANNEL_INVALID
            InvalidChannelError        | Channel X is in an invalid state: authentication error                 | AUTH
            InvalidChannelError        | Inner Error: source: Some(SfApiAuthError { api_name: "insert_rows", http_status_code: 401 }) | AUTH
            InvalidChannelError        | Inner Error: HTTP 400, error_code=STALE_CONTINUATION_TOKEN_SEQUENCER                         | CHANNEL_INVALID
            ClosedChannelError         | closed                                                                 | CHANNEL_INVALID
            ChannelNotFound            | Channel X not found.                                                   | CHANNEL_INVALID
            InvalidClientError         | client invalid                                                         | CLIENT_INVALID
            SfApiPipeFailedOverError   | Please recreate the client                                             | CLIENT_INVALID
            ReceiverSaturated          | Inflight-data buffers running full                                     | BACKPRESSURE
            MemoryThresholdExceeded    | memory                                                                 | BACKPRESSURE
            SfApiAuthError             | HTTP 401                                                               | AUTH
            AuthTokenError             | token                                                                  | AUTH
            SfApiUserError             | HTTP 404, error_code=NOT_FOUND, message=Pipe does not exist           | NOT_FOUND
            SfApiUserError             | HTTP 403, error_code=x, message=y                                      | AUTH
            SfApiUserError             | HTTP 400, error_code=x, message=y                                      | UNKNOWN
            ConfigError                | Invalid account url format                                             | CONFIG
            HttpRetriesExhaustedError  | gave up                                                                | TRANSIENT
            Fatal                      | boom                                                                   | UNKNOWN
            """)
    void mapsErrorCodeNames(String code, String message, Kind expected) {
        PortException e = SdkErrors.map(new SFException(code, message, 409, "Conflict"), "appendRows");
        assertThat(e.kind()).isEqualTo(expected);
        assertThat(e.errorCodeName()).isEqualTo(code);
        assertThat(e.getMessage()).startsWith("appendRows: " + code);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            HTTP 400, error_code=STALE_CONTINUATION_TOKEN_SEQUENCER, message=Channel sequencer is stale | true
            Channel X is in an invalid state. Please close and re-open the channel                      | false
            """)
    void recognisesTheStaleSequencerCode(String message, boolean stale) {
        PortException e = SdkErrors.map(new SFException("InvalidChannelError", message, 409, "Conflict"), "append");
        assertThat(e.mentionsStaleSequencer()).isEqualTo(stale);
    }
}
