package dev.parley.imnode.message;

import dev.parley.common.file.FileStore;
import dev.parley.common.file.FileUrls;
import dev.parley.common.file.StoredFile;
import dev.parley.common.message.Message;
import dev.parley.common.protocol.ClientFrame;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.MessageKind;
import dev.parley.common.protocol.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.Optional;

/**
 * The uploads messages carry: a send may only attach the sender's own upload, an {@code image} (or
 * an uploaded {@code gif}) must be an image, and every delivery of the message describes the file
 * with a freshly signed URL.
 */
@ApplicationScoped
public class Attachments {

  @Inject FileStore files;
  @Inject FileUrls urls;

  /**
   * The upload a send attaches, checked.
   *
   * @throws ParleyException {@code FILE_NOT_FOUND} for an unknown upload or someone else's, {@code
   *     INVALID_FIELD} for a non-image sent as an image
   */
  public Optional<StoredFile> attachedTo(long senderId, ClientFrame.MessageSend send) {
    if (send.fileId().isEmpty()) {
      return Optional.empty();
    }
    StoredFile file =
        files
            .findOwnedBy(send.fileId().get(), senderId)
            .orElseThrow(
                () ->
                    new ParleyException(
                        ErrorCode.FILE_NOT_FOUND, "No upload of yours with that id"));
    if ((send.kind() == MessageKind.IMAGE || send.kind() == MessageKind.GIF) && !file.isImage()) {
      throw new ParleyException(
          ErrorCode.INVALID_FIELD,
          "An '" + send.kind().wireName() + "' message needs an image upload");
    }
    return Optional.of(file);
  }

  /** The {@code file} object of a stored message, with a fresh URL; null without a file. */
  public JsonObject describe(Message message) {
    return message
        .fileId()
        .flatMap(files::find)
        .map(f -> f.toJson(urls.signedUrl(f.id())))
        .orElse(null);
  }

  public JsonObject describe(StoredFile file) {
    return file.toJson(urls.signedUrl(file.id()));
  }
}
