package org.cxr.catalog.rest;

import java.util.List;
import java.util.Map;

import org.cxr.catalog.domain.query.Labeler;
import org.cxr.events.Observation;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Documents the 28 label filters ({@code label.chexpert.Atelectasis} ... {@code label.negbio.Support_Devices})
 * of the query endpoints, which JAX-RS cannot declare one by one.
 */
public class OpenApiLabelFilter implements OASFilter {
    private static final List<String> PATHS = List.of("/studies", "/images", "/stats/labels");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> e : openAPI.getPaths().getPathItems().entrySet()) {
            if (!PATHS.contains(e.getKey()) || e.getValue().getGET() == null) {
                continue;
            }
            Operation op = e.getValue().getGET();
            for (Labeler l : Labeler.values()) {
                for (Observation o : Observation.values()) {
                    op.addParameter(OASFactory.createParameter()
                            .name("label." + l.value() + "." + o.column().replace(' ', '_'))
                            .in(Parameter.In.QUERY)
                            .required(false)
                            .description(l.value() + " value of " + o.column() + ": 1, 0, -1 (or 1.0, 0.0, -1.0) or"
                                    + " empty (not mentioned); comma-separated for several"
                                    + (o == Observation.NO_FINDING ? " (No Finding is only 1 or empty)" : ""))
                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                            .example("1"));
                }
            }
        }
    }
}
