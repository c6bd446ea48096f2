package dev.parley.gateway.file;

import dev.parley.common.file.FileStore;
import dev.parley.common.file.FileUrls;
import dev.parley.common.file.StoredFile;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code POST /api/files} (signed-in users, {@code multipart/form-data} with a part {@code file})
 * answers {@code 201 {fileId, name, size, contentType, url, width?, height?}}, the URL signed for
 * the uploader. {@code GET /api/files/<id>?exp=…&sig=…} serves the bytes to whoever holds a valid,
 * unexpired URL: no token, so that it works in an {@code <img src>}.
 */
@Path("files")
@RequestScoped
public class FileResource {

  /** Types a browser may show in the page; everything else is offered for download. */
  private static final Set<String> INLINE =
      Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/avif");

  @Inject Uploads uploads;
  @Inject FileStore files;
  @Inject FileUrls urls;
  @Inject JsonWebToken token;

  @POST
  @RolesAllowed("user")
  @CappedUpload
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  public Response upload(@FormParam("file") EntityPart part) throws IOException {
    if (part == null) {
      throw new ParleyException(
          ErrorCode.INVALID_FIELD, "The multipart body needs a part named 'file'");
    }
    long owner = Long.parseLong(token.getSubject());
    StoredFile file;
    try (InputStream content = part.getContent()) {
      file = uploads.accept(owner, part.getFileName(), content);
    }
    return Response.status(Response.Status.CREATED)
        .entity(file.toJson(urls.signedUrl(file.id())))
        .build();
  }

  @GET
  @PermitAll
  @Path("{id}")
  public Response download(
      @PathParam("id") String id, @QueryParam("exp") String exp, @QueryParam("sig") String sig) {
    long expires = verified(id, exp, sig);
    StoredFile file =
        files.find(id).orElseThrow(() -> new ParleyException(ErrorCode.FILE_NOT_FOUND));
    InputStream content =
        files.open(file).orElseThrow(() -> new ParleyException(ErrorCode.FILE_NOT_FOUND));
    StreamingOutput body =
        out -> {
          try (content) {
            content.transferTo(out);
          }
        };
    return described(Response.ok(body), file, expires).build();
  }

  /** The headers of a download without its bytes (and without opening them). */
  @HEAD
  @PermitAll
  @Path("{id}")
  public Response head(
      @PathParam("id") String id, @QueryParam("exp") String exp, @QueryParam("sig") String sig) {
    long expires = verified(id, exp, sig);
    StoredFile file =
        files.find(id).orElseThrow(() -> new ParleyException(ErrorCode.FILE_NOT_FOUND));
    return described(Response.ok(), file, expires).build();
  }

  /**
   * The expiry of a URL whose signature holds.
   *
   * @throws ParleyException {@code FILE_URL_INVALID} otherwise
   */
  private long verified(String id, String exp, String sig) {
    long expires;
    try {
      expires = Long.parseLong(exp == null ? "" : exp);
    } catch (NumberFormatException e) {
      throw new ParleyException(ErrorCode.FILE_URL_INVALID);
    }
    if (!urls.verify(id, expires, sig)) {
      throw new ParleyException(ErrorCode.FILE_URL_INVALID);
    }
    return expires;
  }

  private static Response.ResponseBuilder described(
      Response.ResponseBuilder response, StoredFile file, long expires) {
    String type = file.contentType();
    boolean inline = INLINE.contains(type);
    long maxAge = Math.max(0, expires - Instant.now().getEpochSecond());
    return response
        .type(type.startsWith("text/") ? type + "; charset=utf-8" : type)
        .header(HttpHeaders.CONTENT_LENGTH, file.size())
        .header(
            "Content-Disposition",
            FileNames.contentDisposition(inline ? "inline" : "attachment", file.name()))
        .header("X-Content-Type-Options", "nosniff")
        // The bytes under an id never change; the URL only holds until it expires.
        .header(HttpHeaders.CACHE_CONTROL, "private, max-age=" + maxAge + ", immutable");
  }
}
