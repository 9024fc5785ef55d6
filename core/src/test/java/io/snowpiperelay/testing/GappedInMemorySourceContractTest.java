package io.snowpiperelay.testing;

import io.snowpiperelay.spi.OffsetSource;
import java.util.List;

/** The {@link OffsetSourceContract} on a source whose offsets have gaps everywhere. */
class GappedInMemorySourceContractTest extends OffsetSourceContract {
    private final GappedInMemorySource gapped = new GappedInMemorySource();

    @Override
    protected OffsetSource createSource() {
        return gapped;
    }

    @Override
    protected void append(List<String> jsonPayloads) {
        gapped.append(jsonPayloads);
    }

    @Override
    protected boolean leaveGap() {
        gapped.skipOffset();
        return true;
    }
}
