/**
 * The Spring Boot starter: a relay from {@code snowpipe.relay.*} properties, started and stopped with the
 * application context, with an Actuator health indicator and Micrometer metrics when those are present.
 * See {@code docs/spring-boot.md}.
 */
package io.snowpiperelay.spring;
