/**
 * Micrometer integration: {@link io.snowpiperelay.micrometer.RelayMeterBinder} publishes the runners' metrics.
 * Micrometer is an optional dependency of the relay; only this package uses it, so {@code io.snowpiperelay}
 * needs nothing optional.
 */
package io.snowpiperelay.micrometer;
