package org.cxr.convert.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstanceIdsTest {
    @Test
    void dicomIdShape() {
        String id = InstanceIds.dicomIdFromUid("1.2.3");
        assertThat(id).matches("[0-9a-f]{8}(-[0-9a-f]{8}){4}");
        assertThat(InstanceIds.dicomIdFromUid("1.2.3")).isEqualTo(id);
        assertThat(DatasetLayout.imagePath(new InstanceIds(id, "10000032", "50414267"), "jpg"))
                .isEqualTo("files/p10/p10000032/s50414267/" + id + ".jpg");
        assertThat(DatasetLayout.parseMimicPath("x/files/p10/p10000032/s50414267/abc.dcm")).contains(
                new InstanceIds("abc", "10000032", "50414267"));
        assertThat(DatasetLayout.parseMimicPath("p11/p10000032/s50414267/abc.dcm")).isEmpty();
        assertThat(DatasetLayout.parseMimicPath("flat/abc.dcm")).isEmpty();
    }
}
