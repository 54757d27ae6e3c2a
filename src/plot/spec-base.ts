/**
 * What every Vega-Lite chart of hporec shares, in the page and in an SVG file alike: a width (the container's in
 * the web app, pixels in a file) with labels, titles and legend inside it, and a description that vega puts on the
 * SVG as its accessible label. No vega import here: the web app's first screen loads this without vega.
 */
export const specBase = (description: string, width: number | "container") =>
  ({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description,
    width,
    autosize: { type: "fit", contains: "padding", resize: true },
  }) as const;
