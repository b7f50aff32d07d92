//! The write stage, last of the pipeline. It takes the rendered files (render's
//! [`OutputFile`](crate::render::sink::OutputFile)s) and puts them in the output folder in one
//! swap ([`output`]), so a failed build leaves the previous output as it was. It must not
//! render or look at the content: it imports only render's output type and the shared helpers.

pub mod output;
