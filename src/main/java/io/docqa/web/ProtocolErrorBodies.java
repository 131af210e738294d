package io.docqa.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Gives a problem+json body to the bodiless 4xx that are answered below Spring: Reactor Netty's own {@code 414} (request
 * line too long), {@code 431} (headers too large) and {@code 400} (unparsable request), and the adapter's {@code 400}
 * for a URI that does not parse, and any other error that would leave without a body (a {@code 416} for a range of a
 * page). Reactor Netty offers no hook for its own answers, so a handler beside its HTTP codec fills in every error
 * response that is about to leave empty.
 */
@Component
class ProtocolErrorBodies implements NettyServerCustomizer {

    private static final String NAME = "docqa.problemBodies";

    private final ProblemWriter problems;

    ProtocolErrorBodies(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remote) -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) != null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new Filler(problems));
            }
        });
    }

    /** One per connection: remembers the request being answered (HTTP/1.1 answers in order). */
    private static final class Filler extends ChannelDuplexHandler {

        private final ProblemWriter problems;
        private boolean head;
        private String instance;
        private String requestId;

        Filler(ProblemWriter problems) {
            this.problems = problems;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                head = HttpMethod.HEAD.equals(request.method());
                instance = request.decoderResult().cause() instanceof TooLongHttpLineException ? null
                        : new QueryStringDecoder(request.uri()).rawPath();
                requestId = RequestIds.choose(request.headers().get(RequestIds.HEADER),
                        request.headers().get(RequestIds.TRACEPARENT));
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof FullHttpResponse response && response.status().code() >= 400 && !head
                    && !response.content().isReadable()) {
                HttpStatusCode status = HttpStatusCode.valueOf(response.status().code());
                String id = response.headers().contains(RequestIds.HEADER) ? response.headers().get(RequestIds.HEADER)
                        : requestId != null ? requestId : RequestIds.choose(null, null);
                ProblemWriter.Rendered rendered = problems.render(Problems.of(new ResponseStatusException(status)), instance, id);
                byte[] body = rendered.bytes();
                FullHttpResponse filled = response.replace(Unpooled.wrappedBuffer(body));
                response.release();
                filled.headers().set(HttpHeaderNames.CONTENT_TYPE, rendered.contentType().toString())
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                        .set(RequestIds.HEADER, id);
                ctx.write(filled, promise);
                return;
            }
            ctx.write(msg, promise);
        }
    }
}
