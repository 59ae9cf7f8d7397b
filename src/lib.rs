//! Pod Playground web app.
