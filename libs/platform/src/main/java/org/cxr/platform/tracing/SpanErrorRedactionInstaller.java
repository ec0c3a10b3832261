package org.cxr.platform.tracing;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.trace.internal.SdkTracerProviderUtil;

/**
 * Installs {@link SpanErrorRedaction} as the tracer provider's exception-attribute resolver in every
 * service: quarkus-opentelemetry builds its SDK with the autoconfigure module, which loads this
 * provider from {@code META-INF/services} of this jar (no registration per service).
 */
public class SpanErrorRedactionInstaller implements AutoConfigurationCustomizerProvider {
    @Override
    public void customize(AutoConfigurationCustomizer autoConfiguration) {
        autoConfiguration.addTracerProviderCustomizer((builder, config) -> {
            SdkTracerProviderUtil.setExceptionAttributeResolver(builder, new SpanErrorRedaction());
            return builder;
        });
    }
}
