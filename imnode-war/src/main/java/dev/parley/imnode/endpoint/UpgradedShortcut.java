package dev.parley.imnode.endpoint;

import java.io.IOException;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpServerFilter;

/**
 * Takes an upgraded connection's bytes past Grizzly's HTTP codec straight to Tyrus, so that the
 * codec can let go of the handshake's request.
 *
 * <p>Grizzly's codec keeps the request it is processing in a connection attribute until the request
 * ends, and an upgraded request never ends: every WebSocket frame is passed to Tyrus as more
 * content of the handshake's request. That request ({@code ServerHttpRequestImpl} with its header
 * chunks, ~33 each of {@code ByteChunk}, {@code CharChunk}, {@code BufferChunk} and {@code
 * DataChunk}, and the bytes they point into) was most of an idle connection's heap. Tyrus' filter
 * needs nothing of it after the handshake: it takes the content's buffer and recycles the wrapper.
 * So this filter, placed just before the codec, hands the bytes of a connection Tyrus has upgraded
 * to Tyrus' filter directly, wrapped in content of one shared placeholder request, and drops the
 * codec's request from the connection the first time.
 *
 * <p>Everything before the upgrade (the handshake, {@code /health/ready}) goes through the codec as
 * before. Bytes that came in with the handshake itself are the codec's to pass on, and it does.
 */
final class UpgradedShortcut extends BaseFilter {

  /** Tyrus' attribute of an upgraded connection (GrizzlyServerFilter.TYRUS_CONNECTION). */
  private static final Attribute<Object> TYRUS_CONNECTION =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
          "org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter.Connection");

  /** The codec's request in process. */
  private static final Attribute<Object> REQUEST_IN_PROCESS =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
          HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);

  /** What the content of an upgraded connection claims to belong to; Tyrus never looks. */
  private static final HttpRequestPacket UPGRADED =
      HttpRequestPacket.builder().method("GET").uri("/").protocol("HTTP/1.1").build();

  private final FilterChain chain;
  private final Filter tyrus;

  /**
   * @param chain the listener's filter chain
   * @param tyrus Tyrus' filter in it
   */
  UpgradedShortcut(FilterChain chain, Filter tyrus) {
    this.chain = chain;
    this.tyrus = tyrus;
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    Connection<?> connection = ctx.getConnection();
    if (TYRUS_CONNECTION.get(connection) == null || !(ctx.getMessage() instanceof Buffer bytes)) {
      return ctx.getInvokeAction();
    }
    if (REQUEST_IN_PROCESS.isSet(connection)) {
      REQUEST_IN_PROCESS.remove(connection);
    }
    ctx.setMessage(HttpContent.builder(UPGRADED).content(bytes).build());
    // The chain calls the filter after the current index next. (Looked up each time: a handful
    // of filters, and the chain may still change while the listener starts.)
    ctx.setFilterIdx(chain.indexOf(tyrus) - 1);
    return ctx.getInvokeAction();
  }
}
