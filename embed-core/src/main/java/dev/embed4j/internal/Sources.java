package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.InvalidInputException;
import java.util.Iterator;
import java.util.function.Function;

/** Where a run's inputs come from: a prepared list (in the order to send), or an iterator. */
final class Sources {
  private Sources() {}

  /** The inputs of a list at {@code order} (all of them, or those a previous run failed). */
  static Planner.Source of(Input[] inputs, int[] order) {
    return new Planner.Source() {
      private int next;

      @Override
      public Input next() {
        return next < order.length ? inputs[order[next++]] : null;
      }
    };
  }

  /**
   * The items of {@code iterator}, each prepared when read; an invalid text is an input that failed
   * with its {@link InvalidInputException}. What the iterator or {@code text} throws is thrown as
   * an {@link InputFailure}.
   */
  static <T> Planner.Source of(
      Iterator<? extends T> iterator, Function<? super T, String> text, Preparation preparation) {
    return new Planner.Source() {
      private int position;

      @Override
      public Input next() {
        T item;
        String string;
        try {
          if (!iterator.hasNext()) {
            return null;
          }
          item = iterator.next();
          string = text.apply(item);
        } catch (RuntimeException e) {
          throw new InputFailure("Reading input " + position + " of the stream failed: " + e, e);
        }
        if (position == Integer.MAX_VALUE) {
          throw new InputFailure(
              "The stream has more than "
                  + Integer.MAX_VALUE
                  + " items: split it into several streams",
              null);
        }
        int p = position++;
        try {
          return preparation.one(p, item, string);
        } catch (InvalidInputException e) {
          return Input.failed(p, item, string, e);
        }
      }
    };
  }

  /** The input iterator, its text function, or the sink failed: the run stops. */
  static final class InputFailure extends Embed4jException {
    private static final long serialVersionUID = 1L;

    InputFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
