package dev.parley.gateway.file;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.gateway.web.ErrorBody;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A hard cap on the request body of an upload, before the multipart parser reads (and buffers) it:
 * a declared {@code Content-Length} beyond the cap is refused at once, and a body that turns out
 * longer (chunked, or lying) fails as soon as it crosses the cap. The cap is the largest file plus
 * an allowance for the multipart framing; the file's own limit is checked exactly by {@link
 * Upload}. Runs after authorisation, so that a request without a token hears 401 first.
 */
@Provider
@CappedUpload
@Priority(Priorities.USER)
public class UploadCap implements ContainerRequestFilter {

  /** Room for boundaries and part headers around the file's bytes. */
  static final long MULTIPART_ALLOWANCE = 64 * 1024;

  @Inject Uploads uploads;

  @Override
  public void filter(ContainerRequestContext request) {
    long cap = uploads.maxBytes() + MULTIPART_ALLOWANCE;
    String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && isBeyond(declared.strip(), cap)) {
      request.abortWith(ErrorBody.response(ErrorCode.FILE_TOO_LARGE, tooLarge().getMessage()));
      return;
    }
    request.setEntityStream(new CappedStream(request.getEntityStream(), cap));
  }

  private ParleyException tooLarge() {
    return new ParleyException(
        ErrorCode.FILE_TOO_LARGE, "Files may be at most " + uploads.maxBytes() + " bytes");
  }

  private static boolean isBeyond(String length, long cap) {
    try {
      return Long.parseLong(length) > cap;
    } catch (NumberFormatException e) {
      return false; // the container refuses a malformed length itself
    }
  }

  /** Fails with {@code FILE_TOO_LARGE} once more than {@code cap} bytes were read. */
  private final class CappedStream extends FilterInputStream {
    private final long cap;
    private long read;

    CappedStream(InputStream in, long cap) {
      super(in);
      this.cap = cap;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b != -1) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false; // a reset would count bytes twice
    }

    private void count(long n) {
      read += n;
      if (read > cap) {
        throw tooLarge();
      }
    }
  }
}
