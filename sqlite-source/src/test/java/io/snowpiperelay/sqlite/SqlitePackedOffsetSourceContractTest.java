package io.snowpiperelay.sqlite;

import io.snowpiperelay.testing.OffsetSourceContract;

/**
 * The {@link OffsetSourceContract} again with three records per packed row: the contract's pages, reads after an
 * offset and deletes then fall inside packed rows, not only between them.
 */
class SqlitePackedOffsetSourceContractTest extends SqliteOffsetSourceContractTest {

    @Override
    protected OutboxConfig.Builder config() {
        return super.config().packRows(3);
    }
}
