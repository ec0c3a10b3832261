package org.cxr.platform.tracing;

import jakarta.inject.Singleton;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.trace.internal.SdkTracerProviderUtil;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;

/**
 * Installs {@link SpanErrorRedaction} as the tracer provider's exception-attribute resolver in every
 * service: quarkus-opentelemetry hands its SDK builder to each bean of this type. (Not the
 * autoconfigure module's ServiceLoader SPI: a Quarkus test that restarts the application loads the
 * provider through another class loader than the SPI's interface and fails to start.)
 */
@Singleton
public class SpanErrorRedactionInstaller implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {
    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        builder.addTracerProviderCustomizer((tracerProvider, config) -> {
            SdkTracerProviderUtil.setExceptionAttributeResolver(tracerProvider, new SpanErrorRedaction());
            return tracerProvider;
        });
    }
}
