//! Writing the PDF binder: in one go, or — with a size limit — again with photos at lower
//! resolutions, then in volumes, until it fits. Every attempt goes to temporary files; the previous
//! binder is replaced only once every file of the result is complete.

use crate::assemble::{self, Assembled};
use crate::error::{Diagnostic, Error};
use crate::outline::{Dossier, Volume};
use crate::plan::{self, BodyPage, Plan};
use crate::render::{self, Drawn};
use crate::sources::{Kind, Sources};
use crate::typeset::{Fonts, Style};
use crate::volumes::{self, PHOTO_DPI_STEPS};
use crate::{diff, manifest, write};
use std::path::{Path, PathBuf};

pub struct Settings {
    pub photo_dpi: Option<u32>,
    pub photo_quality: u8,
    pub cache_dir: PathBuf,
    pub max_size: Option<u64>,
    pub progress: crate::progress::Reporter,
    /// Damaged source pages fail the build.
    pub strict: bool,
    /// The text layers of scanned pages (`--ocr`).
    pub ocr: Option<std::sync::Arc<crate::ocr::Layers>>,
}

/// A warning about a damaged source, as an error: for a strict build.
pub fn strictly(d: Diagnostic) -> Diagnostic {
    use crate::error::Problem;
    let damage =
        matches!(d.problem, Problem::DamagedPage { .. } | Problem::PagesLost { .. } | Problem::PageLacksObjects { .. });
    Diagnostic { warning: d.warning && !damage, ..d }
}

/// What a build under a size limit had to do.
#[derive(Debug, Clone)]
pub struct Fit {
    pub limit: u64,
    /// The resolution photos were brought down to, when that was needed.
    pub photo_dpi: Option<u32>,
    /// The volumes written, when one file could not fit.
    pub volumes: Vec<VolumeFile>,
}

#[derive(Debug, Clone)]
pub struct VolumeFile {
    pub path: PathBuf,
    pub bytes: u64,
    pub pages: usize,
    /// Printed numbers of its first and last body pages.
    pub first_page: usize,
    pub last_page: usize,
}

#[derive(Debug)]
pub struct Written {
    pub pages: usize,
    pub bytes: u64,
    pub fit: Option<Fit>,
    /// What changed since the previous build's manifest; only for a binder in one file.
    pub changes: Option<diff::Changes>,
    /// Damaged pages that went in anyway, each once.
    pub warnings: Vec<Diagnostic>,
    /// Source files taken from the cache instead of being read again (see `assemble::skeleton`).
    pub kept: usize,
}

impl Fit {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "limit": self.limit,
            "photo_dpi": self.photo_dpi,
            "volumes": self.volumes.iter().map(|v| serde_json::json!({
                "output": crate::error::json_path(&v.path),
                "bytes": v.bytes,
                "pages": v.pages,
                "first_page": v.first_page,
                "last_page": v.last_page,
            })).collect::<Vec<_>>(),
        })
    }
}

/// One complete binder in a temporary file, not yet in place.
struct Attempt {
    atomic: write::AtomicFile,
    bytes: u64,
    asm: Assembled,
}

struct Ctx<'a> {
    srcs: &'a Sources,
    style: &'a Style,
    settings: &'a Settings,
}

impl Ctx<'_> {
    fn attempt(
        &self,
        dossier: &Dossier,
        plan: &Plan,
        rendered: &Drawn,
        dpi: Option<u32>,
        output: &Path,
    ) -> Result<Attempt, Error> {
        let out_err = |source: std::io::Error| Error::Output { path: output.to_path_buf(), source };
        let (atomic, file) = write::AtomicFile::create(output).map_err(out_err)?;
        let asm = assemble::Options {
            photo_dpi: dpi.map(|d| (d, self.settings.photo_quality)),
            cache_dir: self.settings.cache_dir.clone(),
            progress: self.settings.progress.clone(),
            ocr: self.settings.ocr.clone(),
            // A second handle on the file: the two share their position, so what the buffered
            // writer flushed and what the kernel copies follow each other.
            direct: file.get_ref().try_clone().ok().map(std::sync::Arc::new),
        };
        // Our pages failing to draw is ours, not the output's.
        let (file, asm) = assemble::assemble(dossier, plan, rendered, self.srcs, self.style, &asm, file)
            .map_err(|e| rendered.get().err().map_or_else(|| out_err(e), Error::Internal))?;
        let mut problems = asm.problems;
        let mut asm = Assembled { problems: Vec::new(), ..asm };
        if self.settings.strict {
            let (stop, warn): (Vec<_>, Vec<_>) =
                std::mem::take(&mut asm.warnings).into_iter().map(strictly).partition(|d| !d.warning);
            problems.extend(stop);
            asm.warnings = warn;
        }
        if !problems.is_empty() {
            // The temporary file goes when `atomic` drops; the old binder is untouched.
            return Err(Error::Input(problems));
        }
        let bytes = atomic.close(file).map_err(out_err)?;
        Ok(Attempt { atomic, bytes, asm })
    }
}

/// Write `dossier` (planned as `plan`, its own pages drawn as `rendered`) to `output`.
#[allow(clippy::too_many_arguments)]
pub fn write(
    dossier: &Dossier,
    plan: &Plan,
    rendered: &Drawn,
    srcs: &Sources,
    style: &Style,
    fonts: &Fonts,
    settings: &Settings,
    output: &Path,
) -> Result<Written, Error> {
    let cx = Ctx { srcs, style, settings };
    let mut dpi = settings.photo_dpi;
    let mut done = cx.attempt(dossier, plan, rendered, dpi, output)?;
    let Some(limit) = settings.max_size else {
        return commit(
            vec![Out { attempt: done, path: output.to_path_buf(), volume: None }],
            (dossier, plan),
            None,
            output,
        );
    };
    if done.bytes <= limit {
        let one = vec![Out { attempt: done, path: output.to_path_buf(), volume: None }];
        return commit(one, (dossier, plan), Some(no_change(limit)), output);
    }

    // Photos first: only they can shrink without losing anything a reviewer reads as text.
    let photo_bytes: u64 = plan
        .body
        .iter()
        .zip(&done.asm.body_bytes)
        .filter(|(p, _)| matches!(p, BodyPage::Image { source, .. } if srcs.get(source).is_some_and(|s| matches!(s.kind, Kind::Jpeg(_)))))
        .map(|(_, b)| b)
        .sum();
    let mut steps: Vec<u32> = PHOTO_DPI_STEPS.into_iter().filter(|&s| dpi.is_none_or(|d| s < d)).collect();
    if photo_bytes > 0 && done.bytes - photo_bytes > limit {
        // Even without photos it would not fit: go straight to the smallest photos, then split.
        steps = steps.split_off(steps.len().saturating_sub(1));
    }
    if photo_bytes > 0 {
        for step in steps {
            drop(done);
            done = cx.attempt(dossier, plan, rendered, Some(step), output)?;
            dpi = Some(step);
            if done.bytes <= limit {
                let fit = Fit { limit, photo_dpi: dpi, volumes: Vec::new() };
                let one = vec![Out { attempt: done, path: output.to_path_buf(), volume: None }];
                return commit(one, (dossier, plan), Some(fit), output);
            }
        }
    }

    // Volumes. What the cover, the 目录, the fonts and the page tree cost comes again in each.
    let body: u64 = done.asm.body_bytes.iter().sum();
    let overhead = done.bytes.saturating_sub(body);
    let body_bytes = std::mem::take(&mut done.asm.body_bytes);
    drop(done);
    let mut budget = (limit.saturating_sub(overhead) as f64 * 0.97) as u64;
    budget = budget.max(limit / 4);
    let mut last = Vec::new();
    // Pages shared between pieces (fonts, images used twice) are counted once in the estimate but
    // written into every volume that uses them: if a volume still comes out too large, cut finer.
    for _ in 0..4 {
        // Dropped first: the next try writes temporary files of the same names.
        last.clear();
        let parts = volumes::split(dossier, plan, &body_bytes, budget);
        let mut first_page = plan.first;
        let mut written = Vec::new();
        for (k, mut vol) in parts.into_iter().enumerate() {
            if let Some(v) = &mut vol.volume {
                *v = Volume { first_page, ..*v };
            }
            let vplan = plan::plan(&vol, srcs, style, fonts);
            first_page += vplan.body.len();
            let vrendered = Drawn::ready(render::render(&vol, &vplan, style, fonts));
            let path = volumes::volume_path(output, k + 1);
            let a = cx.attempt(&vol, &vplan, &vrendered, dpi, &path)?;
            written.push(Out { attempt: a, path, volume: Some((vol, vplan)) });
        }
        let worst = written.iter().map(|w| w.attempt.bytes).max().unwrap_or(0);
        let splittable = written.iter().any(|w| {
            w.attempt.bytes > limit && w.volume.as_ref().is_some_and(|(d, _)| d.parts.len() + sections(d) > 1)
        });
        last = written;
        if worst <= limit || !splittable {
            break;
        }
        budget = budget * 4 / 5;
    }
    let fit = Fit { limit, photo_dpi: dpi.filter(|_| photo_bytes > 0), volumes: Vec::new() };
    commit(last, (dossier, plan), Some(fit), output)
}

fn no_change(limit: u64) -> Fit {
    Fit { limit, photo_dpi: None, volumes: Vec::new() }
}

fn sections(d: &Dossier) -> usize {
    d.parts.iter().map(|p| p.sections.len()).sum()
}

/// A finished file waiting to be put in place, with the outline and plan its manifest describes
/// (none: the whole binder's).
struct Out {
    attempt: Attempt,
    path: PathBuf,
    volume: Option<(Dossier, Plan)>,
}

/// Put every finished file in place, then write each one's manifest.
fn commit(files: Vec<Out>, whole: (&Dossier, &Plan), mut fit: Option<Fit>, output: &Path) -> Result<Written, Error> {
    let mut pages = 0;
    let mut bytes = 0;
    let kept = files.iter().map(|f| f.attempt.asm.kept).sum();
    for f in &files {
        pages += f.attempt.asm.pages;
        bytes += f.attempt.bytes;
        if let (Some(fit), Some((_, plan))) = (fit.as_mut(), &f.volume) {
            fit.volumes.push(VolumeFile {
                path: f.path.clone(),
                bytes: f.attempt.bytes,
                pages: f.attempt.asm.pages,
                first_page: plan.first,
                last_page: plan.number(plan.body.len().saturating_sub(1)),
            });
        }
    }
    let one = files.len() == 1 && files[0].volume.is_none();
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for w in files.iter().flat_map(|f| &f.attempt.asm.warnings) {
        // A file used in several places is warned about once.
        if !warnings.iter().any(|d| d.file == w.file && d.to_string() == w.to_string()) {
            warnings.push(w.clone());
        }
    }
    let mut changes = None;
    let fail = |(path, source): (std::path::PathBuf, std::io::Error)| Error::Output { path, source };
    // Binders and manifests are replaced together: a CSV held open in Excel leaves all of them
    // as they were.
    let mut batch = write::Batch::default();
    for f in files {
        // Read before it is replaced; one that cannot be read is no basis for a comparison.
        let before = manifest::read(&manifest::path(&f.path)).ok();
        batch.add(f.attempt.atomic);
        let (dossier, plan) = f.volume.as_ref().map_or(whole, |(d, p)| (d, p));
        let rows =
            manifest::stage(&mut batch, &f.path, dossier, plan, &f.attempt.asm.damaged, f.attempt.asm.text.as_deref())
                .map_err(fail)?;
        if one {
            changes = Some(match before {
                Some(old) => diff::Changes::Since(diff::compare(&old, &rows)),
                None => diff::Changes::First,
            });
        }
    }
    batch.commit().map_err(fail)?;
    remove_stale(output, if one { 0 } else { fit.as_ref().map_or(0, |f| f.volumes.len()) });
    Ok(Written { pages, bytes, fit, changes, warnings, kept })
}

/// What an earlier build wrote for this output and this one replaced: the single file when the
/// binder now comes in volumes, volumes beyond the present count otherwise. Left in place, a
/// stale 第三册 would be uploaded with the new first two.
fn remove_stale(output: &Path, volumes: usize) {
    let remove = |p: &Path| {
        for q in [p.to_path_buf(), manifest::path(p), p.with_extension("manifest.csv"), manifest::previous_path(p)] {
            let _ = std::fs::remove_file(q);
        }
    };
    if volumes > 0 && output.is_file() {
        remove(output);
    }
    let mut k = volumes + 1;
    while volumes::volume_path(output, k).is_file() {
        remove(&volumes::volume_path(output, k));
        k += 1;
    }
}
