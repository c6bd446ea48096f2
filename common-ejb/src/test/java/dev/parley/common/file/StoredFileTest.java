package dev.parley.common.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoredFileTest {

  @Test
  void newId_isTwentyTwoCharactersOfBase64UrlAndUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = StoredFile.newId();
      assertTrue(StoredFile.isWellFormedId(id), id);
      assertTrue(seen.add(id), id);
    }
  }

  @Test
  void isWellFormedId_refusesPathsAndOtherShapes() {
    assertFalse(StoredFile.isWellFormedId(null));
    assertFalse(StoredFile.isWellFormedId(""));
    assertFalse(StoredFile.isWellFormedId("../../../../etc/passwd1"));
    assertFalse(StoredFile.isWellFormedId("AAAAAAAAAAAAAAAAAAAAA"), "21 characters");
    assertFalse(StoredFile.isWellFormedId("AAAAAAAAAAAAAAAAAAAAAAA"), "23 characters");
    assertFalse(StoredFile.isWellFormedId("AAAAAAAAAAAAAAAAAAAAA="));
    assertTrue(StoredFile.isWellFormedId("Az09_-Az09_-Az09_-Az09"));
  }

  @Test
  void toJson_hasTheFieldsOfTheContractAndDimensionsOnlyForImages() {
    StoredFile image =
        new StoredFile(7, "cat.png", "image/png", 1234, Optional.of(new Dimensions(640, 480)));
    JsonObject json = image.toJson("/api/files/x?exp=1&sig=y");
    assertEquals(image.id(), json.getString("fileId"));
    assertEquals("cat.png", json.getString("name"));
    assertEquals(1234, json.getJsonNumber("size").longValue());
    assertEquals("image/png", json.getString("contentType"));
    assertEquals("/api/files/x?exp=1&sig=y", json.getString("url"));
    assertEquals(640, json.getInt("width"));
    assertEquals(480, json.getInt("height"));
    assertTrue(image.isImage());

    StoredFile pdf = new StoredFile(7, "a.pdf", "application/pdf", 10, Optional.empty());
    JsonObject plain = pdf.toJson("/u");
    assertEquals(
        Set.of("fileId", "name", "size", "contentType", "url"), plain.keySet(), plain.toString());
    assertFalse(pdf.isImage());
    assertEquals(Optional.empty(), pdf.dimensions());
  }
}
