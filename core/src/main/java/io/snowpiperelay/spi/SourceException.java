package io.snowpiperelay.spi;

import io.snowpiperelay.RelayException;

/**
 * Thrown by an {@link OffsetSource} when it cannot read or delete (I/O error, locked file, closed source).
 * The runner retries source errors with a bounded backoff and stops after the bound without deleting anything.
 */
public class SourceException extends RelayException {
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
